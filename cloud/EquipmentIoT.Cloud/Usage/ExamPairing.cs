using EquipmentIoT.Protocols.Telemetry.Model;
using NodaTime;

namespace EquipmentIoT.Cloud.Usage;

/// <summary>An exam as reconstructed from one device's events: when it ended and, when known, how long it ran.</summary>
internal readonly record struct Exam(Instant End, Duration? Length, bool Discontinued)
{
    public Interval? Running => Length is { } length ? new Interval(End - length, End) : null;
}

/// <summary>Pairs exam.started with exam.completed / exam.discontinued events of one device (rules in <see cref="UsageRules"/>).</summary>
internal static class ExamPairing
{
    /// <summary>The exams ended by the events, in time order; <paramref name="events"/> must be one device's, sorted by time.</summary>
    public static List<Exam> Pair(IEnumerable<TelemetryEvent> events)
    {
        var open = new List<TelemetryEvent>();
        var exams = new List<Exam>();
        foreach (var e in events)
        {
            switch (e.Type)
            {
                case EventTypes.ExamStarted:
                    open.Add(e);
                    break;
                case EventTypes.ExamCompleted or EventTypes.ExamDiscontinued:
                    var start = TakeStart(open, e);
                    var length = DurationOf(e) ?? (start is not null && e.Timestamp >= start.Timestamp ? e.Timestamp - start.Timestamp : null);
                    exams.Add(new Exam(e.Timestamp, length, e.Type == EventTypes.ExamDiscontinued));
                    break;
            }
        }
        return exams;
    }

    private static Duration? DurationOf(TelemetryEvent e) =>
        e.Data.TryGetValue(UsageRules.DurationSecondsKey, out var v) && v.Kind == EventValueKind.Number && v.AsNumber >= 0
            && v.AsNumber < TimeSpan.FromDays(7).TotalSeconds
            ? Duration.FromSeconds(v.AsNumber)
            : null;

    // With ids: the latest open start that carries the same value under the first id key both have.
    // Without: the latest open start (a device runs one exam at a time).
    private static TelemetryEvent? TakeStart(List<TelemetryEvent> open, TelemetryEvent end)
    {
        var endHasId = UsageRules.ExamIdKeys.Any(end.Data.ContainsKey);
        for (var i = open.Count - 1; i >= 0; i--)
        {
            if (endHasId && !SameExam(open[i], end)) continue;
            var start = open[i];
            open.RemoveAt(i);
            return start;
        }
        return null;
    }

    private static bool SameExam(TelemetryEvent start, TelemetryEvent end)
    {
        foreach (var key in UsageRules.ExamIdKeys)
        {
            if (start.Data.TryGetValue(key, out var a) && end.Data.TryGetValue(key, out var b)) return a == b;
        }
        return false;
    }
}
