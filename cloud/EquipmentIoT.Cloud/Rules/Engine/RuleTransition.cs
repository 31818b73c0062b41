using EquipmentIoT.Cloud.Alarms;
using NodaTime;

namespace EquipmentIoT.Cloud.Rules.Engine;

/// <summary>Which way a rule's condition changed for a subject.</summary>
public enum RuleTransitionKind
{
    /// <summary>The condition now holds (after its raise delay).</summary>
    Raise,

    /// <summary>The condition is over (after its clear delay), or the rule was removed or disabled.</summary>
    Clear,
}

/// <summary>A rule's condition changed for one subject: what the alarm lifecycle consumes.</summary>
/// <param name="RuleId">The rule.</param>
/// <param name="Subject">The device id, or the agent id for agent rules.</param>
/// <param name="SubjectKind">Which of the two.</param>
/// <param name="Kind">Raise or clear.</param>
/// <param name="At">When, by the data's timestamps (a delay that completed on a tick: when it was due).</param>
/// <param name="Severity">The rule's severity.</param>
/// <param name="Value">The value that decided it (a reading, a slope, a count), when there is one.</param>
/// <param name="Reason">What was seen, for people ("helium_level 58.2 below 60").</param>
/// <param name="DeviceClass">The subject's device class, when known.</param>
/// <param name="Site">The subject's site, when known.</param>
public sealed record RuleTransition(string RuleId, string Subject, RuleSubjectKind SubjectKind, RuleTransitionKind Kind, Instant At,
    AlarmSeverity Severity, double? Value, string Reason, string? DeviceClass, string? Site);

/// <summary>What the engine needs to know about a device from the registry: its class (for class scopes), site and agent.</summary>
public sealed record DeviceInfo(string Id, string? DeviceClass = null, string? Site = null, string? Agent = null);
