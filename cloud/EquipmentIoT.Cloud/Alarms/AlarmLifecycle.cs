using EquipmentIoT.Cloud.Rules.Engine;
using EquipmentIoT.Cloud.Rules.Parsing;
using NodaTime;

namespace EquipmentIoT.Cloud.Alarms;

/// <summary>A change to one alarm: its new form, the transitions to record, and the notices to send once it is saved.</summary>
public sealed record AlarmStep(Alarm Alarm, IReadOnlyList<AlarmTransition> Transitions, IReadOnlyList<AlarmNoticeKind> Notices);

/// <summary>
/// The alarm state machine for what rules and time do (pure: no store, no clock): a raise opens an alarm, or, when the (rule,
/// device) has toggled <see cref="AlarmPolicy.FlapToggles"/> times within the flap window, a flapping one; a clear resolves it
/// (resolved-unacknowledged when nobody acknowledged it) unless that clear makes it flapping; a tick expires shelves, ends flapping
/// after a stable window, and escalates unacknowledged alarms. What people do is in <see cref="AlarmCommands"/>.
/// </summary>
public static class AlarmLifecycle
{
    /// <summary>The actor of transitions made by time passing.</summary>
    public const string SystemActor = "system";

    /// <summary>The actor of transitions a rule made.</summary>
    public static string RuleActor(string ruleId) => "rule:" + ruleId;

    /// <summary>
    /// Applies a rule transition to the (rule, device)'s latest alarm (<paramref name="latest"/>: the open one, else the newest closed
    /// one, else null). Null when nothing changes (a clear with no open alarm, a raise of a condition already raised).
    /// </summary>
    public static AlarmStep? Apply(Alarm? latest, RuleTransition transition, AlarmPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(transition);
        ArgumentNullException.ThrowIfNull(policy);
        return transition.Kind == RuleTransitionKind.Raise ? Raise(latest, transition, policy) : Clear(latest, transition, policy);
    }

    private static AlarmStep? Raise(Alarm? latest, RuleTransition t, AlarmPolicy policy)
    {
        var toggles = Toggles(latest, t.At, policy);
        if (latest is { IsOpen: true } open)
        {
            // Raised already: a repeat (after a restart, say) changes nothing. Otherwise a flapping or shelved alarm takes the toggle in.
            if (open.ConditionActive) return null;
            return new AlarmStep(open with { ConditionActive = true, Value = t.Value, Reason = t.Reason, RecentToggles = toggles, ToggleCount = open.ToggleCount + 1 }, [], []);
        }

        var flapping = toggles.Count >= policy.FlapToggles;
        var state = flapping ? AlarmState.Flapping : AlarmState.Firing;
        var alarm = new Alarm(0, t.RuleId, t.Subject, t.SubjectKind, t.DeviceClass, t.Site, t.Severity, state, true, t.At, t.At, t.Value, t.Reason,
            toggles, flapping ? toggles.Count : 1);
        var comment = flapping ? $"{t.Reason}; flapping: {toggles.Count} raises and clears within {DurationText.Format(policy.FlapWindow)}" : t.Reason;
        return new AlarmStep(alarm, [new AlarmTransition(0, null, state, t.At, RuleActor(t.RuleId), comment, AlarmAction.Raise)], [AlarmNoticeKind.Raised]);
    }

    private static AlarmStep? Clear(Alarm? latest, RuleTransition t, AlarmPolicy policy)
    {
        if (latest is not { IsOpen: true, ConditionActive: true } open) return null;
        var toggles = Toggles(open, t.At, policy);
        var cleared = open with { ConditionActive = false, Value = t.Value, Reason = t.Reason, RecentToggles = toggles, ToggleCount = open.ToggleCount + 1 };
        if (open.State is AlarmState.Flapping or AlarmState.Shelved) return new AlarmStep(cleared, [], []);
        var actor = RuleActor(t.RuleId);
        if (toggles.Count >= policy.FlapToggles)
        {
            var flapping = cleared with { State = AlarmState.Flapping, ChangedAt = t.At, ToggleCount = toggles.Count };
            return new AlarmStep(flapping,
                [new AlarmTransition(open.Id, open.State, AlarmState.Flapping, t.At, actor,
                    $"{toggles.Count} raises and clears within {DurationText.Format(policy.FlapWindow)}", AlarmAction.Flapping)],
                [AlarmNoticeKind.Flapping]);
        }

        var resolved = Resolved(cleared, t.At, null);
        return new AlarmStep(resolved, [new AlarmTransition(open.Id, open.State, resolved.State, t.At, actor, t.Reason, AlarmAction.Clear)], [AlarmNoticeKind.Resolved]);
    }

    /// <summary>What time passing to <paramref name="now"/> does to an open alarm; null when nothing.</summary>
    public static AlarmStep? Tick(Alarm alarm, Instant now, AlarmPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(alarm);
        ArgumentNullException.ThrowIfNull(policy);
        if (!alarm.IsOpen) return null;
        var transitions = new List<AlarmTransition>();
        var notices = new List<AlarmNoticeKind>();
        var a = alarm;
        if (a.State == AlarmState.Shelved && a.ShelvedUntil is { } until && now >= until)
            a = Return(a, until, SystemActor, "the shelf expired", AlarmAction.ShelfExpired, transitions, notices);
        if (a.State == AlarmState.Flapping && (a.RecentToggles.Count == 0 || now - a.RecentToggles[^1] >= policy.FlapWindow))
        {
            var stableAt = a.RecentToggles.Count == 0 ? now : a.RecentToggles[^1] + policy.FlapWindow;
            var next = a.ConditionActive ? a with { State = a.IsAcknowledged ? AlarmState.Acknowledged : AlarmState.Firing, ChangedAt = stableAt, RecentToggles = [] }
                : Resolved(a with { RecentToggles = [] }, stableAt, null);
            transitions.Add(new AlarmTransition(a.Id, a.State, next.State, stableAt, SystemActor,
                $"stable for {DurationText.Format(policy.FlapWindow)} after {a.ToggleCount} raises and clears", AlarmAction.Stable));
            if (!next.IsOpen) notices.Add(AlarmNoticeKind.Resolved);
            a = next;
        }

        if (a.State is AlarmState.Firing or AlarmState.Flapping && !a.IsAcknowledged)
        {
            var delays = policy.EscalationOf(a.Severity);
            var level = delays.Count(d => a.RaisedAt + d <= now);
            if (level > a.EscalationLevel)
            {
                transitions.Add(new AlarmTransition(a.Id, a.State, a.State, a.RaisedAt + delays[level - 1], SystemActor,
                    $"not acknowledged within {DurationText.Format(delays[level - 1])}", AlarmAction.Escalate, level));
                notices.Add(AlarmNoticeKind.Escalated);
                a = a with { EscalationLevel = level };
            }
        }

        return transitions.Count == 0 ? null : new AlarmStep(a, transitions, notices);
    }

    /// <summary>
    /// Takes a shelved alarm off its shelf: back to the state it was shelved from when its condition still holds (acknowledged if someone
    /// acknowledged it meanwhile), resolved when it cleared meanwhile.
    /// </summary>
    internal static Alarm Return(Alarm a, Instant at, string actor, string? comment, AlarmAction action, List<AlarmTransition> transitions,
        List<AlarmNoticeKind> notices)
    {
        var back = a.ShelvedFrom ?? AlarmState.Firing;
        if (back == AlarmState.Firing && a.IsAcknowledged) back = AlarmState.Acknowledged;
        var next = a.ConditionActive
            ? a with { State = back, ShelvedUntil = null, ShelvedFrom = null, ChangedAt = at }
            : Resolved(a with { ShelvedUntil = null, ShelvedFrom = null }, at, null);
        transitions.Add(new AlarmTransition(a.Id, a.State, next.State, at, actor, comment, action));
        if (!next.IsOpen) notices.Add(AlarmNoticeKind.Resolved);
        return next;
    }

    /// <summary>Closed at <paramref name="at"/>: resolved when acknowledged or resolved by someone, else resolved-unacknowledged.</summary>
    internal static Alarm Resolved(Alarm a, Instant at, string? by) => a with
    {
        State = a.IsAcknowledged || by is not null ? AlarmState.Resolved : AlarmState.ResolvedUnacknowledged,
        ResolvedAt = at, ResolvedBy = by, ChangedAt = at, ShelvedUntil = null, ShelvedFrom = null,
    };

    /// <summary>The toggles of the (rule, device) within the flap window before <paramref name="at"/>, and this one.</summary>
    private static List<Instant> Toggles(Alarm? latest, Instant at, AlarmPolicy policy)
    {
        var toggles = latest?.RecentToggles.Where(x => x > at - policy.FlapWindow && x <= at).ToList() ?? [];
        toggles.Add(at);
        // Bounded: the count that matters is FlapToggles; a few more keep ToggleCount honest after the window slides.
        if (toggles.Count > policy.FlapToggles * 4) toggles.RemoveRange(0, toggles.Count - policy.FlapToggles * 4);
        return toggles;
    }
}
