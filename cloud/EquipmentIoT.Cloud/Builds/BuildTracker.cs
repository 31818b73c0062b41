using System.Globalization;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Protocols.Telemetry.Model;
using NodaTime;

namespace EquipmentIoT.Cloud.Builds;

/// <summary>
/// A build as the tracker follows it: the stored header (null <see cref="Id"/> for one opened by this pass) and what
/// this pass adds (layer starts, timeline items).
/// </summary>
public sealed class TrackedBuild
{
    public long? Id { get; init; }
    public required string Device { get; init; }
    public required string Agent { get; init; }
    public long? JobId { get; set; }
    public int? LayersPlanned { get; set; }
    public int LayersStarted { get; set; }
    public BuildStatus Status { get; set; }
    public Instant Started { get; init; }
    public Instant? Ended { get; set; }
    public int Pauses { get; set; }
    public int Faults { get; set; }
    public int RecoaterPasses { get; set; }

    /// <summary>Layers this pass saw start (layer number, time).</summary>
    public List<(int Layer, Instant Started)> NewLayers { get; } = [];

    /// <summary>Timeline items this pass added.</summary>
    public List<BuildTimelineItem> NewTimeline { get; } = [];

    /// <summary>True when this pass changed anything.</summary>
    public bool Changed { get; set; }

    public bool IsOpen => Status is BuildStatus.Running or BuildStatus.Paused or BuildStatus.Faulted;
}

/// <summary>
/// Turns a printer's events, in the order the ledger stored them, into build records: a job opens when the printer
/// leaves idle (state <c>preparing</c>/<c>building</c>) or reports <c>build.started</c>; layers come from
/// <c>build.layer</c> (the layer counter), pauses and faults from state and fault events; the job ends with state
/// <c>finished</c> (completed), or <c>idle</c> / a new job without finishing (aborted), or <c>build.finished</c>.
/// Pure: no I/O, so that the rules are tested without a database.
/// </summary>
public sealed class BuildTracker(BuildOptions options)
{
    /// <summary>The event types the tracker reads.</summary>
    public IReadOnlyCollection<string> Types { get; } =
        [EventTypes.State, EventTypes.Fault, EventTypes.BuildStarted, EventTypes.BuildLayer, EventTypes.BuildFinished, options.RecoaterEvent];

    /// <summary>Events that belong to no open build (late, after the job's end): counted, not applied.</summary>
    public long Unplaced { get; private set; }

    /// <summary>Applies <paramref name="events"/> (ascending ids) to <paramref name="builds"/> (the open ones; opened ones are added).</summary>
    public void Apply(List<TrackedBuild> builds, IEnumerable<StoredEvent> events)
    {
        ArgumentNullException.ThrowIfNull(builds);
        ArgumentNullException.ThrowIfNull(events);
        foreach (var e in events) Apply(builds, e);
    }

    private void Apply(List<TrackedBuild> builds, StoredEvent e)
    {
        var open = builds.LastOrDefault(b => b.Device == e.Device && b.IsOpen);
        switch (e.Type)
        {
            case EventTypes.State when Text(e, "machine") == options.StateMachine:
                OnState(builds, open, e, Text(e, "state") ?? "");
                return;
            case EventTypes.BuildStarted:
                if (open is not null) Close(open, e, BuildStatus.Aborted, "a new job started");
                var started = Open(builds, e);
                started.JobId = Number(e, "job");
                started.LayersPlanned = (int?)Number(e, "layers");
                return;
            case EventTypes.BuildFinished when open is not null:
                var result = Text(e, "result");
                Close(open, e, result is null or "completed" or "finished" or "ok" ? BuildStatus.Completed : BuildStatus.Aborted, result ?? "finished");
                return;
            case EventTypes.BuildLayer when open is not null:
                if ((Number(e, "layer") ?? Number(e, "count")) is { } layer and > 0 and <= int.MaxValue && layer > open.LayersStarted)
                {
                    open.LayersStarted = (int)layer;
                    open.NewLayers.Add(((int)layer, e.Timestamp));
                    open.Changed = true;
                }

                return;
            case EventTypes.Fault when open is not null:
                if (e.Data.TryGetValue("active", out var active) && active.Kind == EventValueKind.Boolean && !active.AsBoolean) return;
                open.Faults++;
                AddTimeline(open, e, "fault", $"{Text(e, "code")}: {Text(e, "text")} ({Text(e, "severity")})");
                return;
            case var type when type == options.RecoaterEvent && open is not null:
                open.RecoaterPasses++;
                open.Changed = true;
                return;
            case EventTypes.State:
                return;
            default:
                Unplaced++;
                return;
        }
    }

    private static void OnState(List<TrackedBuild> builds, TrackedBuild? open, StoredEvent e, string state)
    {
        switch (state)
        {
            case "preparing":
                // Leaving idle starts a job; a job still open here never reported its end.
                if (open is not null) Close(open, e, BuildStatus.Aborted, "a new job started");
                AddTimeline(Open(builds, e), e, "state", state);
                return;
            case "building":
                open ??= Open(builds, e);
                open.Status = BuildStatus.Running;
                AddTimeline(open, e, "state", state);
                return;
            case "paused" when open is not null:
                open.Pauses++;
                open.Status = BuildStatus.Paused;
                AddTimeline(open, e, "state", state);
                return;
            case "fault" when open is not null:
                open.Status = BuildStatus.Faulted;
                AddTimeline(open, e, "state", state);
                return;
            case "finished" when open is not null:
                Close(open, e, BuildStatus.Completed, state);
                return;
            case "idle" when open is not null:
                Close(open, e, BuildStatus.Aborted, "the printer went idle before the job finished");
                return;
        }
    }

    private static TrackedBuild Open(List<TrackedBuild> builds, StoredEvent e)
    {
        var build = new TrackedBuild { Device = e.Device, Agent = e.Agent, Started = e.Timestamp, Status = BuildStatus.Running, Changed = true };
        builds.Add(build);
        return build;
    }

    private static void Close(TrackedBuild build, StoredEvent e, BuildStatus status, string why)
    {
        build.Status = status;
        build.Ended = e.Timestamp;
        AddTimeline(build, e, "end", $"{status.ToString().ToLowerInvariant()}: {why}");
    }

    private static void AddTimeline(TrackedBuild build, StoredEvent e, string kind, string detail)
    {
        build.NewTimeline.Add(new BuildTimelineItem(e.Id, e.Timestamp, kind, detail));
        build.Changed = true;
    }

    private static string? Text(StoredEvent e, string key) =>
        e.Data.TryGetValue(key, out var value) ? value.Kind == EventValueKind.Text ? value.AsString : value.ToString() : null;

    private static long? Number(StoredEvent e, string key)
    {
        if (!e.Data.TryGetValue(key, out var value)) return null;
        return value.Kind switch
        {
            EventValueKind.Number when value.AsNumber is >= long.MinValue and <= long.MaxValue && value.AsNumber == Math.Floor(value.AsNumber) => (long)value.AsNumber,
            EventValueKind.Text when long.TryParse(value.AsString, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
            _ => null,
        };
    }
}
