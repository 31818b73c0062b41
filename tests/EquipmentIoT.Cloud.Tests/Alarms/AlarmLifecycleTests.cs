using EquipmentIoT.Cloud.Alarms;
using NodaTime;
using static EquipmentIoT.Cloud.Tests.Alarms.AlarmTestData;

namespace EquipmentIoT.Cloud.Tests.Alarms;

public sealed class AlarmLifecycleTests
{
    [Fact]
    public void Apply_Raise_OpensAFiringAlarmWithARaisedNotice()
    {
        var step = AlarmLifecycle.Apply(null, Raise(T0), Policy)!;
        Assert.Equal((AlarmState.Firing, true, T0, 58.0), (step.Alarm.State, step.Alarm.ConditionActive, step.Alarm.RaisedAt, step.Alarm.Value!.Value));
        var t = Assert.Single(step.Transitions);
        Assert.Equal((null, AlarmState.Firing, AlarmAction.Raise, "rule:mr.helium.low"), (t.From, t.To, t.Action, t.Actor));
        Assert.Equal([AlarmNoticeKind.Raised], step.Notices);
    }

    [Fact]
    public void Apply_ClearOfUnacknowledged_ResolvesUnacknowledged()
    {
        var step = AlarmLifecycle.Apply(Fired(T0), Clear(T0 + Duration.FromMinutes(1)), Policy)!;
        Assert.Equal((AlarmState.ResolvedUnacknowledged, false), (step.Alarm.State, step.Alarm.IsOpen));
        Assert.Equal(T0 + Duration.FromMinutes(1), step.Alarm.ResolvedAt);
        Assert.Equal([AlarmNoticeKind.Resolved], step.Notices);
        // Acknowledging it afterwards closes it for good.
        var ack = AlarmCommands.Acknowledge(step.Alarm, "nurse.li", "seen", T0 + Duration.FromMinutes(2));
        Assert.True(ack.Success);
        Assert.Equal(AlarmState.Resolved, ack.Step.Alarm.State);
    }

    [Fact]
    public void Apply_ClearOfAcknowledged_Resolves()
    {
        var acked = AlarmCommands.Acknowledge(Fired(T0), "eng.wang", "on my way", T0 + Duration.FromMinutes(1)).Step!.Alarm;
        Assert.Equal((AlarmState.Acknowledged, "eng.wang", "on my way"), (acked.State, acked.AcknowledgedBy, acked.AcknowledgeComment));
        var step = AlarmLifecycle.Apply(acked, Clear(T0 + Duration.FromMinutes(5)), Policy)!;
        Assert.Equal(AlarmState.Resolved, step.Alarm.State);
        Assert.Equal((AlarmState.Acknowledged, AlarmState.Resolved, AlarmAction.Clear), (step.Transitions[0].From, step.Transitions[0].To, step.Transitions[0].Action));
    }

    [Fact]
    public void Apply_RepeatedRaiseOrClearWithoutOpenAlarm_ChangesNothing()
    {
        var fired = Fired(T0);
        Assert.Null(AlarmLifecycle.Apply(fired, Raise(T0 + Duration.FromMinutes(1)), Policy));
        Assert.Null(AlarmLifecycle.Apply(null, Clear(T0), Policy));
        var resolved = AlarmLifecycle.Apply(fired, Clear(T0 + Duration.FromMinutes(1)), Policy)!.Alarm;
        Assert.Null(AlarmLifecycle.Apply(resolved, Clear(T0 + Duration.FromMinutes(2)), Policy));
    }

    [Fact]
    public void Commands_NotAllowedInTheState_AreRefusedWithAReason()
    {
        var fired = Fired(T0);
        var now = T0 + Duration.FromMinutes(1);
        var acked = AlarmCommands.Acknowledge(fired, "a", null, now).Step!.Alarm;
        Assert.Equal("alarm 1 was acknowledged by a at 2026-03-02T08:01:00Z", AlarmCommands.Acknowledge(acked, "b", null, now).Reason);
        Assert.Equal("alarm 1 is firing, not shelved", AlarmCommands.Unshelve(fired, "a", null, now).Reason);
        var resolved = AlarmCommands.Resolve(acked, "a", "device scrapped", now).Step!.Alarm;
        Assert.Equal((AlarmState.Resolved, "a"), (resolved.State, resolved.ResolvedBy));
        Assert.Equal("alarm 1 is resolved already", AlarmCommands.Resolve(resolved, "a", null, now).Reason);
        Assert.Equal("alarm 1 is resolved: only open alarms can be shelved", AlarmCommands.Shelve(resolved, now + Duration.FromHours(1), "a", null, now, Policy).Reason);
        Assert.Equal("alarm 1 is resolved", AlarmCommands.Acknowledge(resolved with { AcknowledgedAt = null }, "a", null, now).Reason);
        Assert.StartsWith("the shelf must end after now", AlarmCommands.Shelve(fired, now, "a", null, now, Policy).Reason, StringComparison.Ordinal);
        Assert.StartsWith("an alarm can be shelved for at most 7d", AlarmCommands.Shelve(fired, now + Duration.FromDays(8), "a", null, now, Policy).Reason, StringComparison.Ordinal);
        Assert.StartsWith("who did it must be named", AlarmCommands.Acknowledge(fired, " ", null, now).Reason, StringComparison.Ordinal);
        var unacked = AlarmLifecycle.Apply(fired, Clear(now), Policy)!.Alarm;
        Assert.Equal("alarm 1 is resolved already (unacknowledged): acknowledge it instead", AlarmCommands.Resolve(unacked, "a", null, now).Reason);
    }

    [Fact]
    public void Tick_UnacknowledgedCritical_EscalatesAtEachLevelOnce()
    {
        var fired = Fired(T0);
        Assert.Null(AlarmLifecycle.Tick(fired, T0 + Duration.FromMinutes(14), Policy));
        var one = AlarmLifecycle.Tick(fired, T0 + Duration.FromMinutes(15), Policy)!;
        Assert.Equal(1, one.Alarm.EscalationLevel);
        var t = Assert.Single(one.Transitions);
        Assert.Equal((AlarmAction.Escalate, 1, T0 + Duration.FromMinutes(15), AlarmState.Firing), (t.Action, t.Level, t.At, t.To));
        Assert.Equal([AlarmNoticeKind.Escalated], one.Notices);
        Assert.Null(AlarmLifecycle.Tick(one.Alarm, T0 + Duration.FromMinutes(59), Policy));
        Assert.Equal(2, AlarmLifecycle.Tick(one.Alarm, T0 + Duration.FromMinutes(60), Policy)!.Alarm.EscalationLevel);
        // Ticks missed for hours: straight to the highest level due, one transition.
        Assert.Equal(2, Assert.Single(AlarmLifecycle.Tick(fired, T0 + Duration.FromHours(5), Policy)!.Transitions).Level);
    }

    [Fact]
    public void Tick_AcknowledgedOrWarning_DoesNotEscalate()
    {
        var acked = AlarmCommands.Acknowledge(Fired(T0), "a", null, T0 + Duration.FromMinutes(1)).Step!.Alarm;
        Assert.Null(AlarmLifecycle.Tick(acked, T0 + Duration.FromHours(5), Policy));
        Assert.Null(AlarmLifecycle.Tick(Fired(T0, AlarmSeverity.Warning), T0 + Duration.FromDays(5), Policy));
        Assert.Equal(1, AlarmLifecycle.Tick(Fired(T0, AlarmSeverity.Major), T0 + Duration.FromHours(1), Policy)!.Alarm.EscalationLevel);
    }

    [Fact]
    public void Tick_ShelfExpires_ReturnsToThePreviousStateAndSuppressesEscalationMeanwhile()
    {
        var now = T0 + Duration.FromMinutes(1);
        var shelved = AlarmCommands.Shelve(Fired(T0), T0 + Duration.FromHours(2), "eng.wang", "service visit", now, Policy).Step!.Alarm;
        Assert.Equal((AlarmState.Shelved, AlarmState.Firing), (shelved.State, shelved.ShelvedFrom));
        Assert.Null(AlarmLifecycle.Tick(shelved, T0 + Duration.FromMinutes(90), Policy));
        var expired = AlarmLifecycle.Tick(shelved, T0 + Duration.FromHours(2), Policy)!;
        Assert.Equal((AlarmState.Shelved, AlarmState.Firing, AlarmAction.ShelfExpired, "system"),
            (expired.Transitions[0].From, expired.Transitions[0].To, expired.Transitions[0].Action, expired.Transitions[0].Actor));
        Assert.Equal((AlarmState.Firing, (Instant?)null), (expired.Alarm.State, expired.Alarm.ShelvedUntil));
        // Overdue while shelved: escalates as soon as it is back.
        Assert.Equal(AlarmAction.Escalate, expired.Transitions[1].Action);
        Assert.Equal([AlarmNoticeKind.Escalated], expired.Notices);
    }

    [Fact]
    public void Shelved_ConditionClearsMeanwhile_ResolvesWhenTheShelfEndsWithoutNoticesBefore()
    {
        var shelved = AlarmCommands.Shelve(Fired(T0), T0 + Duration.FromHours(1), "a", null, T0, Policy).Step!.Alarm;
        var cleared = AlarmLifecycle.Apply(shelved, Clear(T0 + Duration.FromMinutes(5)), Policy)!;
        Assert.Equal((AlarmState.Shelved, false), (cleared.Alarm.State, cleared.Alarm.ConditionActive));
        Assert.Empty(cleared.Transitions);
        Assert.Empty(cleared.Notices);
        var unshelved = AlarmCommands.Unshelve(cleared.Alarm, "a", "back", T0 + Duration.FromMinutes(10));
        Assert.Equal(AlarmState.ResolvedUnacknowledged, unshelved.Step!.Alarm.State);
        Assert.Equal([AlarmNoticeKind.Resolved], unshelved.Step.Notices);
    }

    [Fact]
    public void Apply_TogglesReachTheFlapCount_HoldsOneFlappingAlarmWithItsCount()
    {
        Alarm? latest = null;
        var alarms = new HashSet<long>();
        var nextId = 1L;
        var notices = new List<AlarmNoticeKind>();
        // Raise and clear every minute for 20 minutes.
        for (var minute = 0; minute < 20; minute++)
        {
            var at = T0 + Duration.FromMinutes(minute);
            var step = AlarmLifecycle.Apply(latest, minute % 2 == 0 ? Raise(at) : Clear(at), Policy);
            if (step is null) continue;
            latest = step.Alarm.Id == 0 ? step.Alarm with { Id = nextId++ } : step.Alarm;
            alarms.Add(latest.Id);
            notices.AddRange(step.Notices);
        }

        // Raise, clear, raise, clear (the 4th toggle): the second alarm turns flapping instead of resolving; no more alarms after that.
        Assert.Equal(2, alarms.Count);
        Assert.Equal((AlarmState.Flapping, 20), (latest!.State, latest.ToggleCount));
        Assert.Equal([AlarmNoticeKind.Raised, AlarmNoticeKind.Resolved, AlarmNoticeKind.Raised, AlarmNoticeKind.Flapping], notices);

        // Stable (cleared since minute 19) for the window: resolves.
        Assert.Equal(AlarmState.Flapping, AlarmLifecycle.Tick(latest, T0 + Duration.FromMinutes(28), Policy)?.Alarm.State ?? latest.State);
        var stable = AlarmLifecycle.Tick(latest, T0 + Duration.FromMinutes(29), Policy)!;
        Assert.Equal(AlarmState.ResolvedUnacknowledged, stable.Alarm.State);
        Assert.Equal((AlarmAction.Stable, T0 + Duration.FromMinutes(29)), (stable.Transitions[0].Action, stable.Transitions[0].At));
        Assert.Contains(AlarmNoticeKind.Resolved, stable.Notices);
    }

    [Fact]
    public void Tick_FlappingWithConditionRaisedAndAcknowledged_BecomesAcknowledgedWhenStable()
    {
        Alarm latest = Fired(T0);
        latest = AlarmLifecycle.Apply(latest, Clear(T0 + Duration.FromMinutes(1)), Policy)!.Alarm;
        latest = AlarmLifecycle.Apply(latest, Raise(T0 + Duration.FromMinutes(2)), Policy)!.Alarm with { Id = 2 };
        latest = AlarmLifecycle.Apply(latest, Clear(T0 + Duration.FromMinutes(3)), Policy)!.Alarm;
        Assert.Equal(AlarmState.Flapping, latest.State);
        latest = AlarmCommands.Acknowledge(latest, "a", null, T0 + Duration.FromMinutes(4)).Step!.Alarm;
        Assert.Equal(AlarmState.Flapping, latest.State);
        latest = AlarmLifecycle.Apply(latest, Raise(T0 + Duration.FromMinutes(5)), Policy)!.Alarm;
        Assert.Equal((AlarmState.Flapping, true, 5), (latest.State, latest.ConditionActive, latest.ToggleCount));
        Assert.Equal(AlarmState.Acknowledged, AlarmLifecycle.Tick(latest, T0 + Duration.FromMinutes(15), Policy)!.Alarm.State);
    }
}
