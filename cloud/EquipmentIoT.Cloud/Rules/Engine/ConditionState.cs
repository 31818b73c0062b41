using NodaTime;

namespace EquipmentIoT.Cloud.Rules.Engine;

/// <summary>
/// One rule's condition for one subject: raised or not, a change waiting for its delay, the last reading of the metric,
/// and a rate window. Changes go through <see cref="Step"/>, which applies the rule's raise and clear delays.
/// </summary>
internal sealed class ConditionState
{
    public bool Active { get; set; }

    /// <summary>The pending change: true = raise, false = clear, null = none.</summary>
    public bool? PendingRaise { get; set; }

    public Instant PendingSince { get; set; }

    public double? PendingValue { get; set; }

    public string? PendingReason { get; set; }

    /// <summary>The pending change rests on a metric reading, which must still be recent when a tick completes it.</summary>
    public bool PendingFromReading { get; set; }

    public double? LastValue { get; set; }

    public Instant? LastValueAt { get; set; }

    public RateWindow? Rate { get; set; }

    /// <summary>The newest reading used; older (late) readings are not evaluated.</summary>
    public bool IsLate(Instant at) => LastValueAt is { } last && at < last;

    /// <summary>
    /// Applies a verdict seen at <paramref name="at"/>: a hold cancels a pending change (the condition must hold without a break
    /// for the whole delay); a verdict equal to the current condition cancels one too; another starts or continues the wait and
    /// completes it once <paramref name="at"/> reaches its end. Returns true (with the direction in <see cref="Active"/>) on a change.
    /// </summary>
    public bool Step(Verdict verdict, Instant at, Duration raiseAfter, Duration clearAfter)
    {
        if (verdict.Kind == VerdictKind.Hold)
        {
            PendingRaise = null;
            return false;
        }

        var raise = verdict.Kind == VerdictKind.Raise;
        if (raise == Active)
        {
            PendingRaise = null;
            return false;
        }

        if (PendingRaise != raise)
        {
            PendingRaise = raise;
            PendingSince = at;
        }

        PendingValue = verdict.Value;
        PendingReason = verdict.Reason;
        PendingFromReading = verdict.FromReading;
        return at >= PendingSince + (raise ? raiseAfter : clearAfter) && Complete();
    }

    /// <summary>When the pending change is due, or null.</summary>
    public Instant? Due(Duration raiseAfter, Duration clearAfter) =>
        PendingRaise is { } raise ? PendingSince + (raise ? raiseAfter : clearAfter) : null;

    public bool Complete()
    {
        if (PendingRaise is not { } raise) return false;
        Active = raise;
        PendingRaise = null;
        return true;
    }

    /// <summary>Forgets everything but whether it is raised (the rule's definition changed).</summary>
    public void KeepOnlyActive()
    {
        PendingRaise = null;
        PendingValue = null;
        PendingReason = null;
        LastValue = null;
        LastValueAt = null;
        Rate = null;
    }
}

/// <summary>What one evaluation says.</summary>
internal enum VerdictKind
{
    Raise,
    Clear,

    /// <summary>Neither: between a threshold's levels, or not enough data for a slope.</summary>
    Hold,
}

/// <summary>An evaluation's outcome with its value and reason.</summary>
internal readonly record struct Verdict(VerdictKind Kind, double? Value, string Reason, bool FromReading = false)
{
    public static Verdict Hold(string reason) => new(VerdictKind.Hold, null, reason);
}
