using EquipmentIoT.Cloud.Maintenance;
using NodaTime;

namespace EquipmentIoT.Cloud.Tests.Maintenance;

/// <summary>Work orders through the service: repairs by hand, commands saved with transitions, overdue in each site's calendar.</summary>
public sealed class WorkOrderServiceTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task OverdueAsync_SameDueDateTwoZones_OverdueWhereTheDayHasPassedThere()
    {
        // 02:00 UTC on 3 March: 10:00 on the 3rd in Shanghai, 18:00 on the 2nd in Los Angeles.
        await using var h = await MaintenanceHarness.StartAsync(Instant.FromUtc(2026, 3, 1, 0, 0));
        await h.AddDeviceAsync("ct-sh", "Asia/Shanghai");
        await h.AddDeviceAsync("ct-la", "America/Los_Angeles");
        var shanghai = await RepairAsync(h, "ct-sh", new LocalDate(2026, 3, 2));
        var losAngeles = await RepairAsync(h, "ct-la", new LocalDate(2026, 3, 2));
        var done = await RepairAsync(h, "ct-sh", new LocalDate(2026, 3, 1));
        await h.CompleteAsync(done.WorkOrder.Id);
        await h.Plans.CreateCalibrationAsync(new CalibrationRequest("ct-sh", "Phantom", 12, Due: new LocalDate(2026, 2, 27)), "anna", None);
        h.Clock.Reset(Instant.FromUtc(2026, 3, 3, 2, 0));

        var overdue = await h.WorkOrders.OverdueAsync(null, None);
        var listed = await h.WorkOrders.ListAsync(new WorkOrderQuery(), overdueOnly: true, None);

        var view = Assert.Single(overdue.WorkOrders);
        Assert.Equal((shanghai.WorkOrder.Id, "Asia/Shanghai", 1), (view.WorkOrder.Id, view.TimeZone, view.DaysOverdue));
        Assert.Equal([shanghai.WorkOrder.Id], listed.Select(v => v.WorkOrder.Id));
        var item = Assert.Single(overdue.Calibrations);
        Assert.Equal((true, -4), (item.Overdue, item.DaysToDue));
        Assert.False((await h.WorkOrders.GetAsync(losAngeles.WorkOrder.Id, None))!.Overdue);

        h.Clock.Reset(Instant.FromUtc(2026, 3, 3, 8, 0)); // midnight in Los Angeles
        Assert.Equal(2, (await h.WorkOrders.OverdueAsync(null, None)).WorkOrders.Count);
    }

    [Fact]
    public async Task CreateRepairAsync_Defaults_DueFromPriorityInTheSitesCalendar_WithLocalTimes()
    {
        await using var h = await MaintenanceHarness.StartAsync(Instant.FromUtc(2026, 3, 2, 20, 0)); // 3 March 04:00 in Shanghai
        await h.AddDeviceAsync("ct-01");

        var result = await h.WorkOrders.CreateRepairAsync(new RepairRequest("ct-01", "Gantry noise", Priority: WorkOrderPriority.High, Comment: "reported by radiographer"),
            "eng-bob", None);

        Assert.True(result.Success, result.ToString());
        var view = result.Value;
        Assert.Equal((new LocalDate(2026, 3, 4), "Asia/Shanghai", "2026-03-03T04:00:00+08:00"), (view.WorkOrder.Due, view.TimeZone, view.CreatedLocal));
        Assert.Equal("reported by radiographer", Assert.Single(view.Transitions!).Comment);
        Assert.Equal("2026-03-03T04:00:00+08:00", view.Transitions![0].AtLocal);
    }

    [Fact]
    public async Task CreateRepairAsync_BadInput_IsInvalidWithEveryReason()
    {
        await using var h = await MaintenanceHarness.StartAsync(Instant.FromUtc(2026, 3, 2, 8, 0));
        await h.AddDeviceAsync("ct-01");

        var bad = await h.WorkOrders.CreateRepairAsync(new RepairRequest("ct 01", "", Description: "a\0b"), "eng-bob", None);
        var unknown = await h.WorkOrders.CreateRepairAsync(new RepairRequest("ct-99", "Fan"), "eng-bob", None);
        var past = await h.WorkOrders.CreateRepairAsync(new RepairRequest("ct-01", "Fan", Due: new LocalDate(2026, 3, 1)), "eng-bob", None);

        Assert.Equal(MaintenanceProblem.Invalid, bad.Problem);
        Assert.Equal(3, bad.Errors.Count);
        Assert.Equal(["device: 'ct-99' is not in the registry"], unknown.Errors);
        Assert.Equal(["due: 2026-03-01 has passed at the device's site (today is 2026-03-02 in Asia/Shanghai)"], past.Errors);
    }

    [Fact]
    public async Task CreateRepairAsync_ForAnAlarmWithAnOpenOrder_IsAConflict()
    {
        await using var h = await MaintenanceHarness.StartAsync(Instant.FromUtc(2026, 3, 2, 8, 0));
        await h.AddDeviceAsync("ct-01");
        Assert.True((await h.WorkOrders.CreateRepairAsync(new RepairRequest("ct-01", "Fan", AlarmId: 5), "eng-bob", None)).Success);

        var second = await h.WorkOrders.CreateRepairAsync(new RepairRequest("ct-01", "Fan again", AlarmId: 5), "eng-carol", None);

        Assert.Equal(MaintenanceProblem.Conflict, second.Problem);
        Assert.Equal("alarm 5 has an open work order already", second.Error);
    }

    [Fact]
    public async Task Commands_ThroughTheService_SaveEachTransitionAndRefuseSelfVerification()
    {
        await using var h = await MaintenanceHarness.StartAsync(Instant.FromUtc(2026, 3, 2, 8, 0));
        await h.AddDeviceAsync("ct-01");
        var id = (await RepairAsync(h, "ct-01", new LocalDate(2026, 3, 5))).WorkOrder.Id;

        Assert.Equal(MaintenanceProblem.Conflict, (await h.WorkOrders.StartAsync(id, "eng-bob", null, None)).Problem);
        await h.CompleteAsync(id, "eng-bob");
        var self = await h.WorkOrders.VerifyAsync(id, "eng-bob", null, None);
        h.Clock.AdvanceMinutes(30);
        var verified = await h.WorkOrders.VerifyAsync(id, "eng-carol", "checked", None);
        var missing = await h.WorkOrders.CancelAsync(999, "x", "anna", None);

        Assert.Equal(MaintenanceProblem.Conflict, self.Problem);
        Assert.True(verified.Success, verified.ToString());
        Assert.Equal(MaintenanceProblem.NotFound, missing.Problem);
        var detail = (await h.WorkOrders.GetAsync(id, None))!;
        Assert.Equal(WorkOrderState.Verified, detail.WorkOrder.State);
        Assert.Equal([WorkOrderState.Open, WorkOrderState.Assigned, WorkOrderState.InProgress, WorkOrderState.Done, WorkOrderState.Verified],
            detail.Transitions!.Select(t => t.To));
        Assert.Equal(("eng-carol", "checked", "2026-03-02T16:30:00+08:00"), (detail.Transitions![4].Actor, detail.Transitions[4].Comment, detail.Transitions[4].AtLocal));
        Assert.Equal(detail.WorkOrder.Version, verified.Value!.WorkOrder.Version);
    }

    private static async Task<WorkOrderView> RepairAsync(MaintenanceHarness h, string device, LocalDate due)
    {
        var result = await h.WorkOrders.CreateRepairAsync(new RepairRequest(device, "Fan", Due: due), "eng-bob", None);
        Assert.True(result.Success, result.ToString());
        return result.Value;
    }
}
