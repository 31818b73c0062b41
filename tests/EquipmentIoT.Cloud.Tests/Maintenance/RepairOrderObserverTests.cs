using EquipmentIoT.Cloud.Alarms;
using EquipmentIoT.Cloud.Maintenance;
using EquipmentIoT.Cloud.Rules;
using EquipmentIoT.Cloud.Tests.Alarms;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;

namespace EquipmentIoT.Cloud.Tests.Maintenance;

/// <summary>Repair work orders from alarm notices: one per raised alarm of a repair rule, never for its later notices.</summary>
public sealed class RepairOrderObserverTests
{
    private static readonly Instant T0 = AlarmTestData.T0;
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task OnAlarmAsync_RaisedThenEscalatedFlappingResolvedAndRaisedAgain_OpensExactlyOneRepair()
    {
        await using var h = await MaintenanceHarness.StartAsync(T0);
        await h.AddDeviceAsync("mr-01", deviceClass: "MR");
        h.Options.RepairRules.Add("mr.helium.low");
        var observer = Observer(h);
        var alarm = AlarmTestData.Fired(T0) with { Id = 17 };

        await observer.OnAlarmAsync(new AlarmNotice(AlarmNoticeKind.Raised, alarm), None);
        await observer.OnAlarmAsync(new AlarmNotice(AlarmNoticeKind.Escalated, alarm with { EscalationLevel = 1 }, 1), None);
        await observer.OnAlarmAsync(new AlarmNotice(AlarmNoticeKind.Flapping, alarm with { State = AlarmState.Flapping }), None);
        await observer.OnAlarmAsync(new AlarmNotice(AlarmNoticeKind.Resolved, alarm with { State = AlarmState.Resolved }), None);
        await observer.OnAlarmAsync(new AlarmNotice(AlarmNoticeKind.Raised, alarm), None); // a notice delivered twice

        var order = Assert.Single(await h.OrdersAsync());
        Assert.Equal((WorkOrderKind.Repair, "mr-01", 17L, "mr.helium.low", WorkOrderPriority.Urgent, "rule:mr.helium.low"),
            (order.Kind, order.Device, order.AlarmId!.Value, order.AlarmRule, order.Priority, order.CreatedBy));
        Assert.Equal(new LocalDate(2026, 3, 2), order.Due); // urgent: the same local day
        Assert.Equal("helium_level 58 below 60", order.Description);
        Assert.Single(h.Notifier.Of(MaintenanceNoticeKind.WorkOrderOpened));
    }

    [Fact]
    public async Task OnAlarmAsync_AfterTheRepairWasDone_SameAlarmRaisedAgainOpensNothing()
    {
        await using var h = await MaintenanceHarness.StartAsync(T0);
        await h.AddDeviceAsync("mr-01");
        h.Options.RepairRules.Add("mr.helium.low");
        var alarm = AlarmTestData.Fired(T0) with { Id = 3 };
        await Observer(h).OnAlarmAsync(new AlarmNotice(AlarmNoticeKind.Raised, alarm), None);
        await h.CompleteAsync(Assert.Single(await h.OrdersAsync()).Id);

        await Observer(h).OnAlarmAsync(new AlarmNotice(AlarmNoticeKind.Raised, alarm), None);

        Assert.Single(await h.OrdersAsync());
    }

    [Fact]
    public async Task OnAlarmAsync_NewAlarmOfTheSameRule_OpensItsOwnRepair()
    {
        await using var h = await MaintenanceHarness.StartAsync(T0);
        await h.AddDeviceAsync("mr-01");
        h.Options.RepairRules.Add("mr.helium.*");
        var observer = Observer(h);

        await observer.OnAlarmAsync(new AlarmNotice(AlarmNoticeKind.Raised, AlarmTestData.Fired(T0) with { Id = 1 }), None);
        await observer.OnAlarmAsync(new AlarmNotice(AlarmNoticeKind.Raised, AlarmTestData.Fired(T0, AlarmSeverity.Minor) with { Id = 2 }), None);

        var orders = await h.OrdersAsync();
        Assert.Equal([(2L, WorkOrderPriority.Normal), (1L, WorkOrderPriority.Urgent)], orders.Select(o => (o.AlarmId!.Value, o.Priority)));
    }

    [Theory]
    [InlineData("ct.tube.overheat")]
    [InlineData("mr.helium")]
    public async Task OnAlarmAsync_RuleNotConfigured_OpensNothing(string configured)
    {
        await using var h = await MaintenanceHarness.StartAsync(T0);
        h.Options.RepairRules.Add(configured);

        await Observer(h).OnAlarmAsync(new AlarmNotice(AlarmNoticeKind.Raised, AlarmTestData.Fired(T0)), None);

        Assert.Empty(await h.OrdersAsync());
    }

    [Fact]
    public async Task OnAlarmAsync_AgentAlarm_OpensNothing()
    {
        await using var h = await MaintenanceHarness.StartAsync(T0);
        h.Options.RepairRules.Add("*");
        var alarm = AlarmTestData.Fired(T0) with { RuleId = "agent.silent", Device = "agent-1", SubjectKind = RuleSubjectKind.Agent };

        await Observer(h).OnAlarmAsync(new AlarmNotice(AlarmNoticeKind.Raised, alarm), None);

        Assert.Empty(await h.OrdersAsync());
    }

    [Fact]
    public void MaintenanceOptionsRules_BadPattern_FailsNamingIt()
    {
        var options = new MaintenanceOptions();
        options.RepairRules.Add("mr.helium.*");
        options.RepairRules.Add("bad rule");
        options.RepairRules.Add("a*b");

        var result = new MaintenanceOptionsRules().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Equal(2, result.Failures!.Count());
        Assert.Contains(result.Failures!, f => f.StartsWith("Maintenance:RepairRules:1: 'bad rule'", StringComparison.Ordinal));
    }

    private static RepairOrderObserver Observer(MaintenanceHarness h) =>
        new(h.WorkOrders, new FixedOptionsMonitor<MaintenanceOptions>(h.Options), NullLogger<RepairOrderObserver>.Instance);
}
