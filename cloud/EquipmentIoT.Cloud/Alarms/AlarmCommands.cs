using System.Diagnostics.CodeAnalysis;
using EquipmentIoT.Cloud.Rules.Parsing;
using NodaTime;
using NodaTime.Text;

namespace EquipmentIoT.Cloud.Alarms;

/// <summary>The outcome of something a person asked of an alarm: the change, or why it is not allowed.</summary>
public sealed class AlarmCommandResult
{
    private AlarmCommandResult(AlarmStep? step, string? reason)
    {
        Step = step;
        Reason = reason;
    }

    /// <summary>True when the command was carried out.</summary>
    [MemberNotNullWhen(true, nameof(Step))]
    [MemberNotNullWhen(false, nameof(Reason))]
    public bool Success => Reason is null;

    /// <summary>The change (its alarm as saved, once the manager saved it).</summary>
    public AlarmStep? Step { get; }

    /// <summary>Why it was refused.</summary>
    public string? Reason { get; }

    /// <summary>The command was carried out.</summary>
    public static AlarmCommandResult Done(AlarmStep step) => new(step ?? throw new ArgumentNullException(nameof(step)), null);

    /// <summary>The command was refused.</summary>
    public static AlarmCommandResult Refused(string reason) => new(null, reason ?? throw new ArgumentNullException(nameof(reason)));

    /// <inheritdoc/>
    public override string ToString() => Reason ?? "done";
}

/// <summary>
/// What people do to alarms, checked against the alarm's state (pure): acknowledge, shelve until an instant, unshelve, resolve by
/// hand. A command that the state does not allow is refused with a reason, never an exception.
/// </summary>
public static class AlarmCommands
{
    /// <summary>Longest actor name (a person or an API token's name).</summary>
    public const int MaxActorLength = 64;

    /// <summary>Longest comment.</summary>
    public const int MaxCommentLength = 1000;

    /// <summary>
    /// Firing → acknowledged; resolved-unacknowledged → resolved; a flapping or shelved alarm keeps its state and is marked acknowledged
    /// (it stops escalating).
    /// </summary>
    public static AlarmCommandResult Acknowledge(Alarm alarm, string actor, string? comment, Instant now)
    {
        ArgumentNullException.ThrowIfNull(alarm);
        if (CheckPerson(actor, comment) is { } bad) return AlarmCommandResult.Refused(bad);
        if (alarm.IsAcknowledged)
            return AlarmCommandResult.Refused($"alarm {alarm.Id} was acknowledged by {alarm.AcknowledgedBy} at {Time(alarm.AcknowledgedAt!.Value)}");
        if (alarm.State == AlarmState.Resolved) return AlarmCommandResult.Refused($"alarm {alarm.Id} is resolved");
        var to = alarm.State switch
        {
            AlarmState.Firing => AlarmState.Acknowledged,
            AlarmState.ResolvedUnacknowledged => AlarmState.Resolved,
            var same => same,
        };
        var next = alarm with
        {
            State = to, AcknowledgedAt = now, AcknowledgedBy = actor, AcknowledgeComment = comment,
            ChangedAt = to == alarm.State ? alarm.ChangedAt : now,
        };
        return Done(next, alarm.State, now, actor, comment, AlarmAction.Acknowledge);
    }

    /// <summary>An open alarm → shelved until <paramref name="until"/> (later than now, at most the policy's longest shelf); a shelved alarm's end can be moved.</summary>
    public static AlarmCommandResult Shelve(Alarm alarm, Instant until, string actor, string? comment, Instant now, AlarmPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(alarm);
        ArgumentNullException.ThrowIfNull(policy);
        if (CheckPerson(actor, comment) is { } bad) return AlarmCommandResult.Refused(bad);
        if (!alarm.IsOpen) return AlarmCommandResult.Refused($"alarm {alarm.Id} is {Name(alarm.State)}: only open alarms can be shelved");
        if (until <= now) return AlarmCommandResult.Refused($"the shelf must end after now ({Time(now)})");
        if (until - now > policy.MaxShelve)
            return AlarmCommandResult.Refused($"an alarm can be shelved for at most {DurationText.Format(policy.MaxShelve)} (until {Time(now + policy.MaxShelve)})");
        var next = alarm with
        {
            State = AlarmState.Shelved, ShelvedUntil = until, ShelvedFrom = alarm.ShelvedFrom ?? alarm.State, ChangedAt = now,
        };
        return Done(next, alarm.State, now, actor, comment ?? $"until {Time(until)}", AlarmAction.Shelve);
    }

    /// <summary>A shelved alarm → the state it was shelved from (resolved, when its condition cleared meanwhile).</summary>
    public static AlarmCommandResult Unshelve(Alarm alarm, string actor, string? comment, Instant now)
    {
        ArgumentNullException.ThrowIfNull(alarm);
        if (CheckPerson(actor, comment) is { } bad) return AlarmCommandResult.Refused(bad);
        if (alarm.State != AlarmState.Shelved) return AlarmCommandResult.Refused($"alarm {alarm.Id} is {Name(alarm.State)}, not shelved");
        var transitions = new List<AlarmTransition>();
        var notices = new List<AlarmNoticeKind>();
        var next = AlarmLifecycle.Return(alarm, now, actor, comment, AlarmAction.Unshelve, transitions, notices);
        return AlarmCommandResult.Done(new AlarmStep(next, transitions, notices));
    }

    /// <summary>
    /// An open alarm → resolved by hand. Its rule is not told: while the condition still holds, the rule raises again only after it
    /// has cleared (a device taken out of service, say).
    /// </summary>
    public static AlarmCommandResult Resolve(Alarm alarm, string actor, string? comment, Instant now)
    {
        ArgumentNullException.ThrowIfNull(alarm);
        if (CheckPerson(actor, comment) is { } bad) return AlarmCommandResult.Refused(bad);
        if (alarm.State == AlarmState.ResolvedUnacknowledged)
            return AlarmCommandResult.Refused($"alarm {alarm.Id} is resolved already (unacknowledged): acknowledge it instead");
        if (!alarm.IsOpen) return AlarmCommandResult.Refused($"alarm {alarm.Id} is resolved already");
        var next = AlarmLifecycle.Resolved(alarm, now, actor);
        var step = new AlarmStep(next, [new AlarmTransition(alarm.Id, alarm.State, next.State, now, actor, comment, AlarmAction.Resolve)],
            [AlarmNoticeKind.Resolved]);
        return AlarmCommandResult.Done(step);
    }

    private static AlarmCommandResult Done(Alarm next, AlarmState from, Instant now, string actor, string? comment, AlarmAction action) =>
        AlarmCommandResult.Done(new AlarmStep(next, [new AlarmTransition(next.Id, from, next.State, now, actor, comment, action)], []));

    private static string? CheckPerson(string actor, string? comment)
    {
        if (string.IsNullOrWhiteSpace(actor) || actor.Length > MaxActorLength || actor.AsSpan().IndexOfAnyInRange('\0', '\u001f') >= 0)
            return $"who did it must be named: 1 to {MaxActorLength} printable characters";
        if (comment is not null && comment.Length > MaxCommentLength) return $"a comment has at most {MaxCommentLength} characters";
        return null;
    }

    private static string Name(AlarmState state) => state switch
    {
        AlarmState.ResolvedUnacknowledged => "resolved (unacknowledged)",
        _ => state.ToString().ToLowerInvariant(),
    };

    private static string Time(Instant at) => InstantPattern.General.Format(at);
}
