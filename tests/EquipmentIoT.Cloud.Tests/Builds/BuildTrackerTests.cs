using EquipmentIoT.Cloud.Builds;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Protocols.Telemetry.Model;
using NodaTime;

namespace EquipmentIoT.Cloud.Tests.Builds;

public sealed class BuildTrackerTests
{
    private static readonly Instant T0 = Instant.FromUtc(2026, 12, 1, 8, 0);
    private long _id;

    private StoredEvent E(string type, int seconds, params (string Key, EventValue Value)[] data) =>
        new(++_id, "agent-am", "am-01", type, T0 + Duration.FromSeconds(seconds), data.ToDictionary(d => d.Key, d => d.Value), 1);

    private StoredEvent State(int seconds, string state) => E(EventTypes.State, seconds, ("machine", "printer"), ("state", state));

    private StoredEvent Layer(int seconds, int layer) => E(EventTypes.BuildLayer, seconds, ("counter", "layer_current"), ("count", layer));

    [Fact]
    public void Apply_JobFromPreparingToFinished_OneCompletedBuildWithLayersAndCounts()
    {
        var builds = new List<TrackedBuild>();
        var tracker = new BuildTracker(new BuildOptions());
        tracker.Apply(builds,
        [
            State(0, "preparing"), State(60, "building"), Layer(60, 1), E("x-eqiot.recoater", 60, ("count", 1)), Layer(80, 2),
            E("x-eqiot.recoater", 80, ("count", 2)), State(90, "paused"), State(120, "building"), Layer(130, 3),
            E(EventTypes.Fault, 140, ("code", "O2_HIGH"), ("active", true), ("text", "chamber oxygen above 1000 ppm"), ("severity", "critical")),
            E(EventTypes.Fault, 150, ("code", "O2_HIGH"), ("active", false)), State(200, "finished"), State(320, "idle"),
        ]);

        var build = Assert.Single(builds);
        Assert.Null(build.Id);
        Assert.Equal(BuildStatus.Completed, build.Status);
        Assert.Equal(T0, build.Started);
        Assert.Equal(T0 + Duration.FromSeconds(200), build.Ended);
        Assert.Equal([1, 2, 3], build.NewLayers.Select(l => l.Layer));
        Assert.Equal(T0 + Duration.FromSeconds(80), build.NewLayers[1].Started);
        Assert.Equal((1, 1, 2), (build.Pauses, build.Faults, build.RecoaterPasses));
        Assert.Contains(build.NewTimeline, t => t.Kind == "fault" && t.Detail.StartsWith("O2_HIGH", StringComparison.Ordinal));
        Assert.Equal("end", build.NewTimeline[^1].Kind);
    }

    [Fact]
    public void Apply_FaultThenIdle_BuildAborted()
    {
        var builds = new List<TrackedBuild>();
        new BuildTracker(new BuildOptions()).Apply(builds, [State(0, "preparing"), State(30, "building"), Layer(30, 1), State(50, "fault"), State(170, "idle")]);

        var build = Assert.Single(builds);
        Assert.Equal(BuildStatus.Aborted, build.Status);
        Assert.Equal(T0 + Duration.FromSeconds(170), build.Ended);
        Assert.Contains(build.NewTimeline, t => t.Kind == "state" && t.Detail == "fault");
    }

    [Fact]
    public void Apply_NewJobWhileOneIsOpen_FirstAbortedSecondOpened()
    {
        var builds = new List<TrackedBuild>();
        new BuildTracker(new BuildOptions()).Apply(builds, [State(0, "preparing"), State(30, "building"), Layer(30, 1), State(100, "preparing"), Layer(160, 1)]);

        Assert.Equal(2, builds.Count);
        Assert.Equal(BuildStatus.Aborted, builds[0].Status);
        Assert.Equal(BuildStatus.Running, builds[1].Status);
        Assert.Equal(T0 + Duration.FromSeconds(100), builds[1].Started);
        Assert.Single(builds[1].NewLayers);
    }

    [Fact]
    public void Apply_StandardBuildEvents_OpenWithJobAndLayersAndCloseWithResult()
    {
        var builds = new List<TrackedBuild>();
        new BuildTracker(new BuildOptions()).Apply(builds,
        [
            E(EventTypes.BuildStarted, 0, ("job", 77), ("layers", 400)), E(EventTypes.BuildLayer, 10, ("job", 77), ("layer", 1)),
            E(EventTypes.BuildFinished, 50, ("job", 77), ("result", "cancelled")),
        ]);

        var build = Assert.Single(builds);
        Assert.Equal((77L, 400), (build.JobId!.Value, build.LayersPlanned!.Value));
        Assert.Equal(BuildStatus.Aborted, build.Status);
    }

    [Fact]
    public void Apply_EventsOfOtherMachinesAndWhileIdle_IgnoredAndCounted()
    {
        var builds = new List<TrackedBuild>();
        var tracker = new BuildTracker(new BuildOptions());
        tracker.Apply(builds,
        [
            E(EventTypes.State, 0, ("machine", "door"), ("state", "building")), Layer(5, 1),
            E(EventTypes.Fault, 6, ("code", "GAS_FLOW_LOW"), ("active", true)),
        ]);

        Assert.Empty(builds);
        Assert.Equal(2, tracker.Unplaced);
    }

    [Fact]
    public void Apply_LayerCounterGoingBackOrRepeating_Ignored()
    {
        var builds = new List<TrackedBuild>();
        new BuildTracker(new BuildOptions()).Apply(builds, [State(0, "building"), Layer(1, 1), Layer(2, 2), Layer(3, 2), Layer(4, 1), Layer(5, 3)]);

        Assert.Equal([1, 2, 3], Assert.Single(builds).NewLayers.Select(l => l.Layer));
    }
}
