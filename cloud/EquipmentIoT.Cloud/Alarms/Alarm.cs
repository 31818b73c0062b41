using EquipmentIoT.Cloud.Rules;
using NodaTime;

namespace EquipmentIoT.Cloud.Alarms;

/// <summary>
/// Where an alarm stands (ISA-18.2's alarm states, adapted). Open: <see cref="Firing"/>, <see cref="Acknowledged"/>,
/// <see cref="Flapping"/>, <see cref="Shelved"/> — at most one per (rule, device). Closed: the two resolved states.
/// </summary>
public enum AlarmState
{
    /// <summary>The condition holds and nobody has acknowledged the alarm.</summary>
    Firing,

    /// <summary>The condition holds and someone has acknowledged the alarm.</summary>
    Acknowledged,

    /// <summary>
    /// The condition toggled too often within the flap window: held as this one alarm (counting toggles) instead of a new alarm
    /// per raise, until it has been stable for the window. Acknowledging it does not change the state.
    /// </summary>
    Flapping,

    /// <summary>Put aside by someone until an instant: no notifications, no escalation; it returns to its earlier state then.</summary>
    Shelved,

    /// <summary>The condition cleared before anyone acknowledged the alarm: closed, but listed until acknowledged.</summary>
    ResolvedUnacknowledged,

    /// <summary>Closed: the condition cleared after an acknowledgement, or someone resolved it by hand.</summary>
    Resolved,
}

/// <summary>One alarm of one rule for one device (or agent).</summary>
/// <param name="Id">The store's id; 0 before it is saved.</param>
/// <param name="RuleId">The rule that raised it.</param>
/// <param name="Device">The device id, or the agent id for an agent rule.</param>
/// <param name="SubjectKind">Device or agent.</param>
/// <param name="DeviceClass">The device's class when known.</param>
/// <param name="Site">The device's site when known.</param>
/// <param name="Severity">The rule's severity when it was raised.</param>
/// <param name="State">Where it stands.</param>
/// <param name="ConditionActive">Whether the rule's condition holds now (false for a flapping or shelved alarm whose condition cleared).</param>
/// <param name="RaisedAt">When the rule raised it (data time).</param>
/// <param name="ChangedAt">When its state last changed.</param>
/// <param name="Value">The value of the latest raise or clear.</param>
/// <param name="Reason">What the rule saw, latest first.</param>
/// <param name="RecentToggles">Raises and clears of this (rule, device) within the flap window, oldest first (flap detection).</param>
/// <param name="ToggleCount">Raises and clears this alarm has taken in (1 when raised; the window's count when it started flapping).</param>
/// <param name="Version">Bumped by every save; a save of an older version is refused (several instances may share the store).</param>
public sealed record Alarm(long Id, string RuleId, string Device, RuleSubjectKind SubjectKind, string? DeviceClass, string? Site,
    AlarmSeverity Severity, AlarmState State, bool ConditionActive, Instant RaisedAt, Instant ChangedAt, double? Value, string Reason,
    IReadOnlyList<Instant> RecentToggles, int ToggleCount = 1, int EscalationLevel = 0,
    Instant? AcknowledgedAt = null, string? AcknowledgedBy = null, string? AcknowledgeComment = null,
    Instant? ShelvedUntil = null, AlarmState? ShelvedFrom = null, Instant? ResolvedAt = null, string? ResolvedBy = null, long Version = 0)
{
    /// <summary>True in the states that hold the (rule, device) slot: firing, acknowledged, flapping, shelved.</summary>
    public bool IsOpen => IsOpenState(State);

    /// <summary>True once someone acknowledged it.</summary>
    public bool IsAcknowledged => AcknowledgedAt is not null;

    /// <summary>True for the open states.</summary>
    public static bool IsOpenState(AlarmState state) => state is AlarmState.Firing or AlarmState.Acknowledged or AlarmState.Flapping or AlarmState.Shelved;
}

/// <summary>What happened in a transition.</summary>
public enum AlarmAction
{
    /// <summary>The rule raised a new alarm.</summary>
    Raise,

    /// <summary>The rule's condition cleared and the alarm resolved.</summary>
    Clear,

    /// <summary>Someone acknowledged it.</summary>
    Acknowledge,

    /// <summary>Someone shelved it (or changed the shelf's end).</summary>
    Shelve,

    /// <summary>Someone took it off the shelf.</summary>
    Unshelve,

    /// <summary>The shelf's time ran out.</summary>
    ShelfExpired,

    /// <summary>Someone resolved it by hand.</summary>
    Resolve,

    /// <summary>Not acknowledged in time: it escalated to the next level.</summary>
    Escalate,

    /// <summary>Too many toggles within the flap window.</summary>
    Flapping,

    /// <summary>Stable for the flap window again.</summary>
    Stable,
}

/// <summary>One recorded transition (alarm_transitions): every state change, acknowledgement, shelving and escalation.</summary>
/// <param name="AlarmId">The alarm (0 in a step for an alarm not saved yet).</param>
/// <param name="From">The state before; null for a new alarm.</param>
/// <param name="To">The state after (the same as before for an acknowledgement of a flapping alarm or an escalation).</param>
/// <param name="Actor">Who: a person's or token's name, <c>rule:{id}</c>, or <c>system</c> (ticks).</param>
/// <param name="Level">The escalation level, for <see cref="AlarmAction.Escalate"/>.</param>
public sealed record AlarmTransition(long AlarmId, AlarmState? From, AlarmState To, Instant At, string Actor, string? Comment, AlarmAction Action,
    int? Level = null);

/// <summary>An alarm with its transitions, oldest first.</summary>
public sealed record AlarmDetail(Alarm Alarm, IReadOnlyList<AlarmTransition> Transitions);
