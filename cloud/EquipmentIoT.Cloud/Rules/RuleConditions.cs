using NodaTime;

namespace EquipmentIoT.Cloud.Rules;

/// <summary>What a rule watches. One record per kind; the engine evaluates each kind in <c>Engine/ConditionVerdicts</c>.</summary>
public abstract record RuleCondition
{
    /// <summary>The kind's name in rule files ("threshold", "rate", …).</summary>
    public abstract string KindName { get; }

    /// <summary>Devices or agents.</summary>
    public virtual RuleSubjectKind SubjectKind => RuleSubjectKind.Device;

    /// <summary>The metric it reads, for metric kinds.</summary>
    public virtual string? Metric => null;
}

/// <summary>Which side of a threshold raises.</summary>
public enum ThresholdDirection
{
    /// <summary>Raise when the value is above the raise level, clear when it is below the clear level.</summary>
    Above,

    /// <summary>Raise when the value is below the raise level, clear when it is above the clear level.</summary>
    Below,
}

/// <summary>
/// A level with hysteresis: raise past <paramref name="Raise"/>, clear back past <paramref name="Clear"/>; between the two the
/// condition keeps what it was, so that a value wandering between them does not toggle. Points of quality <c>bad</c> are ignored.
/// </summary>
public sealed record ThresholdCondition(string MetricName, ThresholdDirection Direction, double Raise, double Clear) : RuleCondition
{
    /// <inheritdoc/>
    public override string KindName => "threshold";

    /// <inheritdoc/>
    public override string? Metric => MetricName;
}

/// <summary>Which way a rate of change raises.</summary>
public enum RateDirection
{
    /// <summary>The value is falling faster than the limit.</summary>
    Falling,

    /// <summary>The value is rising faster than the limit.</summary>
    Rising,
}

/// <summary>
/// The least-squares slope of a metric over a sliding window, in units per <paramref name="Per"/>: raises when it falls (or rises)
/// faster than <paramref name="Limit"/>, clears when slower than <paramref name="Clear"/>. It says nothing until the window holds
/// <paramref name="MinSamples"/> points spanning at least half the window.
/// </summary>
public sealed record RateOfChangeCondition(string MetricName, RateDirection Direction, double Limit, double Clear, Duration Per, Duration Window,
    int MinSamples) : RuleCondition
{
    /// <inheritdoc/>
    public override string KindName => "rate";

    /// <inheritdoc/>
    public override string? Metric => MetricName;
}

/// <summary>No data from a device (or agent) for <paramref name="After"/>; cleared by the next datum.</summary>
public sealed record SilenceCondition(Duration After, RuleSubjectKind Of) : RuleCondition
{
    /// <inheritdoc/>
    public override string KindName => "silence";

    /// <inheritdoc/>
    public override RuleSubjectKind SubjectKind => Of;
}

/// <summary>Raised while a device's state machine is in one of <paramref name="States"/> (from <c>state</c> events).</summary>
public sealed record StateCondition(string Machine, IReadOnlyList<string> States) : RuleCondition
{
    /// <inheritdoc/>
    public override string KindName => "state";
}

/// <summary>Raised while one of <paramref name="Codes"/> is active (<c>fault</c> events, <c>active</c> true/false); "*" is any code.</summary>
public sealed record FaultCondition(IReadOnlyList<string> Codes) : RuleCondition
{
    /// <summary>The code that matches every fault.</summary>
    public const string AnyCode = "*";

    /// <inheritdoc/>
    public override string KindName => "fault";

    /// <summary>True when <paramref name="code"/> is one the rule watches.</summary>
    public bool Watches(string code) => Codes.Any(c => c == AnyCode || string.Equals(c, code, StringComparison.Ordinal));
}

/// <summary>What an integrity rule counts for an agent.</summary>
public enum IntegrityCheck
{
    /// <summary><c>integrity.quarantined</c> events within the window.</summary>
    Quarantined,

    /// <summary>Batches missing in open gaps (<c>integrity.gap</c> opens, arriving batches, <c>gap_filled</c> and <c>gap_unavailable</c> close).</summary>
    OpenGaps,
}

/// <summary>Raised while an agent's count reaches <paramref name="Count"/>: quarantined messages within <paramref name="Window"/>, or missing batches.</summary>
public sealed record IntegrityCondition(IntegrityCheck Check, int Count, Duration Window) : RuleCondition
{
    /// <inheritdoc/>
    public override string KindName => "integrity";

    /// <inheritdoc/>
    public override RuleSubjectKind SubjectKind => RuleSubjectKind.Agent;
}
