using System.Globalization;
using EquipmentIoT.Cloud.Rules.Parsing;
using NodaTime;

namespace EquipmentIoT.Cloud.Rules.Engine;

/// <summary>Pure evaluations of each kind of condition against what is known; the raise/clear delays are applied afterwards.</summary>
internal static class ConditionVerdicts
{
    public static Verdict Threshold(ThresholdCondition c, double value)
    {
        var v = Number(value);
        if (c.Direction == ThresholdDirection.Above)
        {
            if (value > c.Raise) return new(VerdictKind.Raise, value, $"{c.MetricName} {v} above {Number(c.Raise)}", true);
            if (value < c.Clear) return new(VerdictKind.Clear, value, $"{c.MetricName} {v} below {Number(c.Clear)}", true);
        }
        else
        {
            if (value < c.Raise) return new(VerdictKind.Raise, value, $"{c.MetricName} {v} below {Number(c.Raise)}", true);
            if (value > c.Clear) return new(VerdictKind.Clear, value, $"{c.MetricName} {v} above {Number(c.Clear)}", true);
        }

        // Between the two levels the condition keeps what it was: that is the hysteresis.
        return Verdict.Hold($"{c.MetricName} {v} between {Number(c.Clear)} and {Number(c.Raise)}");
    }

    public static Verdict Rate(RateOfChangeCondition c, RateWindow window, Instant at)
    {
        if (window.SlopePerSecond(at, c.MinSamples) is not { } slope)
            return Verdict.Hold($"not enough {c.MetricName} readings in {DurationText.Format(c.Window)} for a slope");
        var perUnit = slope * c.Per.TotalSeconds;
        // Positive when moving the watched way.
        var speed = c.Direction == RateDirection.Falling ? -perUnit : perUnit;
        var way = c.Direction == RateDirection.Falling ? "falling" : "rising";
        var text = $"{c.MetricName} {way} {Number(speed)} per {DurationText.Format(c.Per)} over {DurationText.Format(c.Window)}";
        if (speed > c.Limit) return new(VerdictKind.Raise, speed, $"{text} (limit {Number(c.Limit)})", true);
        if (speed <= c.Clear) return new(VerdictKind.Clear, speed, text, true);
        return Verdict.Hold(text);
    }

    public static Verdict Silence(SilenceCondition c, SubjectFacts subject, Instant at)
    {
        if (subject.LastSeen is not { } last) return Verdict.Hold("never seen");
        var quiet = at - last;
        return quiet >= c.After
            ? new(VerdictKind.Raise, quiet.TotalMinutes, $"no data from {subject.Kind.ToString().ToLowerInvariant()} {subject.Id} for {DurationText.Format(c.After)} (last {Time(last)})")
            : new(VerdictKind.Clear, quiet.TotalMinutes, $"data again at {Time(last)}");
    }

    public static Verdict State(StateCondition c, SubjectFacts subject)
    {
        if (!subject.Machines.TryGetValue(c.Machine, out var state)) return Verdict.Hold($"{c.Machine} state not known yet");
        return c.States.Contains(state, StringComparer.Ordinal)
            ? new(VerdictKind.Raise, null, $"{c.Machine} is {state}")
            : new(VerdictKind.Clear, null, $"{c.Machine} is {state}");
    }

    public static Verdict Fault(FaultCondition c, SubjectFacts subject)
    {
        var active = subject.Faults.Where(f => c.Watches(f.Key)).OrderBy(f => f.Key, StringComparer.Ordinal).ToList();
        return active.Count > 0
            ? new(VerdictKind.Raise, active.Count, "fault " + string.Join(", ", active.Select(f => f.Value == f.Key ? f.Key : $"{f.Key} ({f.Value})")) + " active")
            : new(VerdictKind.Clear, 0, "no watched fault active");
    }

    public static Verdict Integrity(IntegrityCondition c, SubjectFacts subject, Instant at)
    {
        if (c.Check == IntegrityCheck.Quarantined)
        {
            var n = subject.QuarantinedWithin(at, c.Window);
            var text = $"{n} message(s) quarantined in {DurationText.Format(c.Window)}";
            return new(n >= c.Count ? VerdictKind.Raise : VerdictKind.Clear, n, text);
        }

        var missing = subject.MissingBatches;
        return new(missing >= c.Count ? VerdictKind.Raise : VerdictKind.Clear, missing, $"{missing} batch(es) missing in open gaps");
    }

    /// <summary>A clear when the rule's <c>while</c> does not hold (the rule does not apply then), else null.</summary>
    public static Verdict? Guard(StateGuard guard, SubjectFacts subject)
    {
        subject.Machines.TryGetValue(guard.Machine, out var state);
        return guard.Holds(state)
            ? null
            : new Verdict(VerdictKind.Clear, null, $"applies only while {guard.Machine} is {string.Join(" or ", guard.States)}; it is {state ?? "not known"}");
    }

    public static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Time(Instant at) => NodaTime.Text.InstantPattern.General.Format(at);
}
