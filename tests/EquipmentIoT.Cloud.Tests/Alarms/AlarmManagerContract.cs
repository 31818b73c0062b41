using EquipmentIoT.Cloud.Alarms;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;
using NodaTime.Testing;
using static EquipmentIoT.Cloud.Tests.Alarms.AlarmTestData;

namespace EquipmentIoT.Cloud.Tests.Alarms;

/// <summary>The lifecycle over a real alarm store, with a fake clock: derived once per database.</summary>
public abstract class AlarmManagerContract : IAsyncLifetime, IDisposable
{
    private IAlarmStores _dir = null!;
    private readonly RecordingObserver _observer = new();
    private readonly FakeClock _clock = new(T0);
    private AlarmManager _manager = null!;

    /// <summary>A fresh, empty alarm store (not yet initialised).</summary>
    internal abstract IAlarmStores NewStores();

    public async Task InitializeAsync()
    {
        _dir = NewStores();
        await _dir.InitializeAsync();
        _manager = new AlarmManager(_dir.Alarms, Policy, [_observer], NullLogger<AlarmManager>.Instance);
    }

    public Task DisposeAsync() => _dir.DisposeAsync();

    public void Dispose()
    {
        _manager.Dispose();
        GC.SuppressFinalize(this);
    }

    private Instant Now => _clock.GetCurrentInstant();

    [Fact]
    public async Task ApplyAsync_RaiseAckClear_StoresTheAlarmAndEveryTransition()
    {
        var raised = Assert.Single(await _manager.ApplyAsync([Raise(Now)], CancellationToken.None));
        Assert.True(raised.Id > 0);
        _clock.AdvanceMinutes(2);
        var ack = await _manager.AcknowledgeAsync(raised.Id, "eng.wang", "checking the cold head", Now, CancellationToken.None);
        Assert.True(ack.Success, ack.Reason);
        _clock.AdvanceMinutes(10);
        var resolved = Assert.Single(await _manager.ApplyAsync([Clear(Now)], CancellationToken.None));

        var detail = await _dir.Alarms.GetDetailAsync(raised.Id, CancellationToken.None);
        Assert.NotNull(detail);
        Assert.Equal(resolved.ToComparable(), detail.Alarm.ToComparable());
        Assert.Equal((AlarmState.Resolved, "eng.wang", "checking the cold head"), (detail.Alarm.State, detail.Alarm.AcknowledgedBy, detail.Alarm.AcknowledgeComment));
        Assert.Equal(
            [(null, AlarmState.Firing, AlarmAction.Raise, "rule:mr.helium.low"), (AlarmState.Firing, AlarmState.Acknowledged, AlarmAction.Acknowledge, "eng.wang"),
             (AlarmState.Acknowledged, AlarmState.Resolved, AlarmAction.Clear, "rule:mr.helium.low")],
            detail.Transitions.Select(t => ((AlarmState?)t.From, t.To, t.Action, t.Actor)));
        Assert.Equal([T0, T0 + Duration.FromMinutes(2), T0 + Duration.FromMinutes(12)], detail.Transitions.Select(t => t.At));
        Assert.All(detail.Transitions, t => Assert.Equal(raised.Id, t.AlarmId));
        Assert.Equal([AlarmNoticeKind.Raised, AlarmNoticeKind.Resolved], _observer.Notices.Select(n => n.Kind));
    }

    [Fact]
    public async Task SaveAsync_RoundTrip_KeepsEveryField()
    {
        var step = AlarmLifecycle.Apply(null, Raise(T0), Policy)!;
        var shelvedStep = AlarmCommands.Shelve(step.Alarm, T0 + Duration.FromHours(1), "a", "c", T0, Policy).Step!;
        var alarm = shelvedStep.Alarm with
        {
            RecentToggles = [T0, T0 + Duration.FromTicks(12_345)], EscalationLevel = 2, ToggleCount = 7,
            AcknowledgedAt = T0 + Duration.FromSeconds(1), AcknowledgedBy = "x", AcknowledgeComment = "y",
        };
        var saved = await _dir.Alarms.SaveAsync(new AlarmStep(alarm, [], []), CancellationToken.None);
        Assert.Equal(saved.ToComparable(), (await _dir.Alarms.GetAsync(saved.Id, CancellationToken.None))!.ToComparable());
        Assert.Equal(1, saved.Version);
        Assert.Equal([T0, T0 + Duration.FromTicks(12_345)], saved.RecentToggles);
    }

    [Fact]
    public async Task SaveAsync_SecondOpenAlarmOrStaleVersion_IsAConflict()
    {
        var first = await _dir.Alarms.SaveAsync(AlarmLifecycle.Apply(null, Raise(T0), Policy)!, CancellationToken.None);
        await Assert.ThrowsAsync<AlarmConflictException>(() => _dir.Alarms.SaveAsync(AlarmLifecycle.Apply(null, Raise(T0), Policy)!, CancellationToken.None));
        var ack = AlarmCommands.Acknowledge(first, "a", null, T0).Step!;
        await _dir.Alarms.SaveAsync(ack, CancellationToken.None);
        // The same change again from the version read before: refused.
        await Assert.ThrowsAsync<AlarmConflictException>(() => _dir.Alarms.SaveAsync(ack, CancellationToken.None));
        // Another device's alarm of the same rule is fine.
        await _dir.Alarms.SaveAsync(AlarmLifecycle.Apply(null, Raise(T0, device: "mr-02"), Policy)!, CancellationToken.None);
    }

    [Fact]
    public async Task ListAsync_OpenByDeviceSiteSeverityAndHistory()
    {
        await _manager.ApplyAsync([Raise(T0, "r.minor", "mr-01", AlarmSeverity.Minor), Raise(T0, "r.crit", "mr-01"), Raise(T0, "r.crit", "mr-02"),
            Raise(T0, "r.major", "ct-01", AlarmSeverity.Major)], CancellationToken.None);
        await _manager.ApplyAsync([Clear(T0 + Duration.FromMinutes(1), "r.crit", "mr-02")], CancellationToken.None);

        var open = await _dir.Alarms.ListAsync(new AlarmQuery(Open: true), CancellationToken.None);
        Assert.Equal(["r.crit", "r.major", "r.minor"], open.Select(a => a.RuleId));
        Assert.Equal(2, (await _dir.Alarms.ListAsync(new AlarmQuery(Open: true, Device: "mr-01"), CancellationToken.None)).Count);
        Assert.Equal(3, (await _dir.Alarms.ListAsync(new AlarmQuery(Open: true, Site: "site-a"), CancellationToken.None)).Count);
        Assert.Equal("ct-01", Assert.Single(await _dir.Alarms.ListAsync(new AlarmQuery(Open: true, Severity: AlarmSeverity.Major), CancellationToken.None)).Device);
        var closed = Assert.Single(await _dir.Alarms.ListAsync(new AlarmQuery(Open: false), CancellationToken.None));
        Assert.Equal((AlarmState.ResolvedUnacknowledged, "mr-02"), (closed.State, closed.Device));
        Assert.Equal(4, (await _dir.Alarms.ListAsync(new AlarmQuery(From: T0, To: T0 + Duration.FromMinutes(1)), CancellationToken.None)).Count);
        Assert.Empty(await _dir.Alarms.ListAsync(new AlarmQuery(From: T0 + Duration.FromMinutes(1)), CancellationToken.None));
        Assert.Single(await _dir.Alarms.ListAsync(new AlarmQuery(State: AlarmState.ResolvedUnacknowledged), CancellationToken.None));
    }

    [Fact]
    public async Task Commands_InvalidOrUnknown_ReturnAReasonAndRecordNothing()
    {
        var raised = Assert.Single(await _manager.ApplyAsync([Raise(Now)], CancellationToken.None));
        Assert.Equal("no alarm with id 999", (await _manager.AcknowledgeAsync(999, "a", null, Now, CancellationToken.None)).Reason);
        Assert.Equal($"alarm {raised.Id} is firing, not shelved", (await _manager.UnshelveAsync(raised.Id, "a", null, Now, CancellationToken.None)).Reason);
        Assert.Single((await _dir.Alarms.GetDetailAsync(raised.Id, CancellationToken.None))!.Transitions);
    }

    [Fact]
    public async Task TickAsync_EscalationAndShelving_FollowTheClockAndShelvingSuppressesNotices()
    {
        var raised = Assert.Single(await _manager.ApplyAsync([Raise(Now)], CancellationToken.None));
        _clock.AdvanceMinutes(15);
        var escalated = Assert.Single(await _manager.TickAsync(Now, CancellationToken.None));
        Assert.Equal(1, escalated.EscalationLevel);
        Assert.Equal((AlarmNoticeKind.Escalated, 1), (_observer.Notices[^1].Kind, _observer.Notices[^1].Level));

        var shelve = await _manager.ShelveAsync(raised.Id, Now + Duration.FromHours(2), "eng.wang", "magnet ramp", Now, CancellationToken.None);
        Assert.True(shelve.Success, shelve.Reason);
        var noticesWhenShelved = _observer.Notices.Count;
        _clock.AdvanceHours(1);
        Assert.Empty(await _manager.TickAsync(Now, CancellationToken.None));
        await _manager.ApplyAsync([Clear(Now)], CancellationToken.None);
        Assert.Equal(noticesWhenShelved, _observer.Notices.Count);
        Assert.Single(await _manager.OpenAlarmsAsync(CancellationToken.None));

        _clock.AdvanceHours(1);
        var back = Assert.Single(await _manager.TickAsync(Now, CancellationToken.None));
        Assert.Equal(AlarmState.ResolvedUnacknowledged, back.State);
        Assert.Equal(AlarmNoticeKind.Resolved, _observer.Notices[^1].Kind);
        var actions = (await _dir.Alarms.GetDetailAsync(raised.Id, CancellationToken.None))!.Transitions.Select(t => t.Action);
        Assert.Equal([AlarmAction.Raise, AlarmAction.Escalate, AlarmAction.Shelve, AlarmAction.ShelfExpired], actions);
    }

    [Fact]
    public async Task ApplyAsync_Flapping_KeepsOneOpenAlarmAcrossManyToggles()
    {
        for (var minute = 0; minute < 30; minute++)
        {
            var at = T0 + Duration.FromMinutes(minute);
            await _manager.ApplyAsync([minute % 2 == 0 ? Raise(at) : Clear(at)], CancellationToken.None);
        }

        var open = Assert.Single(await _manager.OpenAlarmsAsync(CancellationToken.None));
        Assert.Equal((AlarmState.Flapping, 30), (open.State, open.ToggleCount));
        Assert.Equal(2, (await _dir.Alarms.ListAsync(new AlarmQuery(), CancellationToken.None)).Count);
        Assert.Single(_observer.Notices, n => n.Kind == AlarmNoticeKind.Flapping);
    }
}
