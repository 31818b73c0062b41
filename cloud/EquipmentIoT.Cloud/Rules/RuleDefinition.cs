using EquipmentIoT.Cloud.Alarms;
using NodaTime;

namespace EquipmentIoT.Cloud.Rules;

/// <summary>What a rule watches: a device (its metrics, states, faults, silence) or an agent (its silence, its integrity).</summary>
public enum RuleSubjectKind
{
    /// <summary>A device by its id ("mr-01").</summary>
    Device,

    /// <summary>An agent by its id; integrity events name the agent as their device.</summary>
    Agent,
}

/// <summary>
/// Which subjects a rule applies to: a device class (the asset record's device class, e.g. "mr", compared
/// case-insensitively), one device, the devices of one agent (or that agent itself), or, when all are null, every subject.
/// </summary>
public sealed record RuleScope(string? DeviceClass = null, string? Device = null, string? Agent = null)
{
    /// <summary>Every subject of the rule's kind.</summary>
    public static readonly RuleScope Everything = new();

    /// <summary>True when the scope names nothing.</summary>
    public bool IsEverything => DeviceClass is null && Device is null && Agent is null;

    /// <summary>True when a device with this id, class and agent is in scope.</summary>
    public bool MatchesDevice(string device, string? deviceClass, string? agent) =>
        (DeviceClass is null || string.Equals(DeviceClass, deviceClass, StringComparison.OrdinalIgnoreCase))
        && (Device is null || string.Equals(Device, device, StringComparison.Ordinal))
        && (Agent is null || string.Equals(Agent, agent, StringComparison.Ordinal));

    /// <summary>True when this agent is in scope (only agent scopes or none apply to agents).</summary>
    public bool MatchesAgent(string agent) => Agent is null || string.Equals(Agent, agent, StringComparison.Ordinal);
}

/// <summary>A condition on a device's state machine: the rule applies only while the machine is in one of <paramref name="States"/>.</summary>
/// <param name="Machine">The state machine: the profile's state register name ("printer", "compressor"), or "state" for a serial profile's default.</param>
/// <param name="States">State names as the profile maps them ("building").</param>
public sealed record StateGuard(string Machine, IReadOnlyList<string> States)
{
    /// <summary>True when <paramref name="state"/> is one of the states.</summary>
    public bool Holds(string? state) => state is not null && States.Contains(state, StringComparer.Ordinal);
}

/// <summary>
/// One QC rule: when its condition holds for a subject in its scope (for at least <paramref name="RaiseAfter"/>),
/// the rule raises for that subject; when the condition is over (for at least <paramref name="ClearAfter"/>) it clears.
/// </summary>
/// <param name="Id">Unique, stable (alarms and snapshots refer to it): 1–64 of A-Z a-z 0-9 . _ -.</param>
/// <param name="Description">For people; also the start of every raise's reason.</param>
/// <param name="Scope">Which subjects.</param>
/// <param name="Severity">The severity of the alarms it raises.</param>
/// <param name="Condition">What is watched.</param>
/// <param name="While">When set, the rule applies only while the device's state machine is in one of these states; outside them it clears.</param>
/// <param name="RaiseAfter">How long the condition must hold, by the data's timestamps, before it raises.</param>
/// <param name="ClearAfter">How long it must be over before it clears.</param>
/// <param name="Enabled">False: loaded and listed but not evaluated (a site turns a shipped rule off with its id and <c>enabled: false</c>).</param>
public sealed record RuleDefinition(string Id, string? Description, RuleScope Scope, AlarmSeverity Severity, RuleCondition Condition,
    StateGuard? While = null, Duration RaiseAfter = default, Duration ClearAfter = default, bool Enabled = true)
{
    /// <summary>Whether the rule watches devices or agents.</summary>
    public RuleSubjectKind SubjectKind => Condition.SubjectKind;

    /// <summary>The description, or the id when there is none.</summary>
    public string Title => Description ?? Id;
}
