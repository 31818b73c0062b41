using EquipmentIoT.Cloud.Maintenance;
using EquipmentIoT.Cloud.Maintenance.Sqlite;
using EquipmentIoT.Cloud.Storage.Sqlite;
using NodaTime;

namespace EquipmentIoT.Cloud.Tests.Maintenance;

/// <summary>Round trips on a temp records.db, a second store instance on the same file, and the uniqueness rules the due job relies on.</summary>
public sealed class SqliteMaintenanceStoreTests : IAsyncLifetime
{
    private static readonly Instant T0 = Instant.FromUtc(2026, 3, 2, 8, 0);
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly string _dir = Directory.CreateTempSubdirectory("eqiot-maint-store-").FullName;
    private SqliteMaintenanceStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = Open();
        await _store.InitializeAsync(None);
    }

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Plans_AddUpdateDelete_RoundTripThroughASecondInstance()
    {
        var calendar = await _store.AddPlanAsync(new MaintenancePlan(0, "ct-01", "Tube PM", "tube and generator", PlanBasis.Calendar, 6,
            new LocalDate(2026, 1, 31), null, null, null, 14, null, WorkOrderPriority.High, true, T0, T0, "anna"), None);
        var usage = await _store.AddPlanAsync(new MaintenancePlan(0, "mr-01", "Cold head", null, PlanBasis.Usage, null, null, UsageMeasure.CounterHours,
            "compressor_hours", 10_000, null, 10, WorkOrderPriority.Normal, false, T0 - Duration.FromDays(3), T0, "anna"), None);

        var other = Open();
        Assert.Equal(calendar, await other.GetPlanAsync(calendar.Id, None));
        Assert.Equal(usage, await other.GetPlanAsync(usage.Id, None));
        Assert.Equal([usage], await other.ListPlansAsync("mr-01", None));

        var changed = calendar with { EveryMonths = 3, Title = "Tube PM (quarterly)", Updated = T0 + Duration.FromHours(1), UpdatedBy = "bert" };
        Assert.Equal(changed, await _store.UpdatePlanAsync(changed, None));
        Assert.Equal(changed, await other.GetPlanAsync(calendar.Id, None));

        Assert.True(await _store.DeletePlanAsync(calendar.Id, "bert", T0, None));
        Assert.False(await _store.DeletePlanAsync(calendar.Id, "bert", T0, None));
        Assert.Null(await other.GetPlanAsync(calendar.Id, None));
        Assert.Null(await _store.UpdatePlanAsync(changed, None));
        Assert.Equal([usage], await other.ListPlansAsync(null, None));
    }

    [Fact]
    public async Task Calibrations_AddUpdateDelete_RoundTrip()
    {
        var item = await _store.AddCalibrationAsync(new CalibrationItem(0, "ct-01", "Dosimeter", "D-123", "CERT-1", new LocalDate(2025, 3, 1),
            new LocalDate(2026, 3, 1), 12, 30, "lab A", T0, "anna"), None);
        Assert.Equal(item, await Open().GetCalibrationAsync(item.Id, None));

        var moved = item with { Certificate = "CERT-2", LastCalibrated = new LocalDate(2026, 2, 20), Due = new LocalDate(2027, 2, 20), Updated = T0, UpdatedBy = "bob" };
        Assert.Equal(moved, await _store.UpdateCalibrationAsync(moved, None));
        Assert.Equal([moved], await _store.ListCalibrationsAsync("ct-01", None));
        Assert.True(await _store.DeleteCalibrationAsync(item.Id, "anna", T0, None));
        Assert.Empty(await _store.ListCalibrationsAsync(null, None));
    }

    [Fact]
    public async Task WorkOrder_OpenedAndWorked_RoundTripsWithTransitionsAndParts()
    {
        var opened = await _store.OpenAsync(Repair(), "fan noisy", None);
        Assert.NotNull(opened);
        var step = WorkOrderLifecycle.Assign(opened, "bob", "anna", null, T0 + Duration.FromMinutes(5)).Value!;
        Assert.True(await _store.SaveAsync(step, opened.Version, null, None));
        var started = WorkOrderLifecycle.Start(step.Order with { Version = 2 }, "bob", null, T0 + Duration.FromMinutes(10)).Value!;
        Assert.True(await _store.SaveAsync(started, 2, null, None));
        var done = WorkOrderLifecycle.Done(started.Order with { Version = 3 }, new WorkDone("replaced", 1.25, [new PartUsed("FAN-120", 2, "pcs", "120 mm fan")]),
            "bob", T0 + Duration.FromHours(2)).Value!;
        Assert.True(await _store.SaveAsync(done, 3, null, None));

        var detail = await Open().GetWorkOrderAsync(opened.Id, None);

        Assert.NotNull(detail);
        Assert.Equal(done.Order with { Version = 4 }, detail.WorkOrder with { Parts = done.Order.Parts });
        Assert.Equal(done.Order.Parts, detail.WorkOrder.Parts);
        Assert.Equal([(null, WorkOrderState.Open, "eng-bob", "fan noisy"), (WorkOrderState.Open, WorkOrderState.Assigned, "anna", "assigned to bob"),
            (WorkOrderState.Assigned, WorkOrderState.InProgress, "bob", null), (WorkOrderState.InProgress, WorkOrderState.Done, "bob", null)],
            detail.Transitions.Select(t => (t.From, t.To, t.Actor, t.Comment)));
        Assert.Equal(done.Order.Parts, (await _store.ListWorkOrdersAsync(new WorkOrderQuery(Device: "ct-01"), None)).Single().Parts);
    }

    [Fact]
    public async Task SaveAsync_BasedOnAnOlderVersion_IsRefused()
    {
        var opened = (await _store.OpenAsync(Repair(), null, None))!;
        var first = WorkOrderLifecycle.Assign(opened, "bob", "anna", null, T0).Value!;
        var second = WorkOrderLifecycle.Cancel(opened, "not needed", "carl", T0).Value!;

        Assert.True(await _store.SaveAsync(first, opened.Version, null, None));
        Assert.False(await _store.SaveAsync(second, opened.Version, null, None));
        Assert.Equal(WorkOrderState.Assigned, (await _store.GetWorkOrderAsync(opened.Id, None))!.WorkOrder.State);
    }

    [Fact]
    public async Task OpenAsync_SamePlanOccurrenceOrCalibrationDueTwice_OpensOne()
    {
        var plan = await _store.AddPlanAsync(new MaintenancePlan(0, "ct-01", "PM", null, PlanBasis.Calendar, 1, new LocalDate(2026, 1, 31), null, null, null,
            14, null, WorkOrderPriority.Normal, true, T0, T0, "anna"), None);
        var item = await _store.AddCalibrationAsync(new CalibrationItem(0, "ct-01", "Dosimeter", null, null, null, new LocalDate(2026, 3, 1), 12, 30, null, T0,
            "anna"), None);
        var planned = new WorkOrder(0, WorkOrderKind.Planned, WorkOrderState.Open, "ct-01", "PM", null, WorkOrderPriority.Normal, new LocalDate(2026, 1, 31), T0,
            "system:maintenance", PlanId: plan.Id, PlanOccurrence: 1);
        var calibration = new WorkOrder(0, WorkOrderKind.Calibration, WorkOrderState.Open, "ct-01", "Calibrate", null, WorkOrderPriority.Normal,
            new LocalDate(2026, 3, 1), T0, "system:maintenance", CalibrationId: item.Id);

        Assert.NotNull(await _store.OpenAsync(planned, null, None));
        Assert.Null(await Open().OpenAsync(planned, null, None));
        Assert.NotNull(await _store.OpenAsync(planned with { PlanOccurrence = 2 }, null, None));
        Assert.NotNull(await _store.OpenAsync(calibration, null, None));
        Assert.Null(await _store.OpenAsync(calibration, null, None));
        Assert.Equal(new PlanHistory(2, new LocalDate(2026, 1, 31), null, 1), await _store.PlanHistoryAsync(plan.Id, None));
    }

    [Fact]
    public async Task OpenAsync_SecondForAnAlarm_RefusedWhileTheFirstIsOpen_AllowedAfterItIsClosed()
    {
        var first = (await _store.OpenAsync(Repair() with { AlarmId = 42, AlarmRule = "ct.fan" }, null, None))!;
        Assert.Null(await _store.OpenAsync(Repair() with { AlarmId = 42 }, null, None));
        Assert.True(await _store.AnyForAlarmAsync(42, None));
        Assert.False(await _store.AnyForAlarmAsync(43, None));

        var cancelled = WorkOrderLifecycle.Cancel(first, "false alarm", "anna", T0).Value!;
        Assert.True(await _store.SaveAsync(cancelled, first.Version, null, None));

        Assert.NotNull(await _store.OpenAsync(Repair() with { AlarmId = 42 }, "it came back", None));
    }

    [Fact]
    public async Task ClaimNoticeAsync_SecondClaim_IsRefusedUntilReleased()
    {
        Assert.True(await _store.ClaimNoticeAsync("plan:1:due:2026-03-31:reminder", MaintenanceNoticeKind.PlanReminder, T0, None));
        Assert.False(await Open().ClaimNoticeAsync("plan:1:due:2026-03-31:reminder", MaintenanceNoticeKind.PlanReminder, T0, None));
        await _store.ReleaseNoticeAsync("plan:1:due:2026-03-31:reminder", None);
        Assert.True(await _store.ClaimNoticeAsync("plan:1:due:2026-03-31:reminder", MaintenanceNoticeKind.PlanReminder, T0, None));
    }

    [Fact]
    public async Task InitializeAsync_Twice_RecordsOneMaintenanceMigration()
    {
        await Open().InitializeAsync(None);

        var db = new SqliteDatabase(Path.Combine(_dir, SqliteRecordStores.RecordsFileName));
        await using var c = await db.OpenAsync(None);
        Assert.Equal(1, await SqliteMigrator.CurrentVersionAsync(c, null, "maintenance", None));
    }

    [Fact]
    public async Task Transitions_AreAppendOnly()
    {
        await _store.OpenAsync(Repair(), null, None);
        var db = new SqliteDatabase(Path.Combine(_dir, SqliteRecordStores.RecordsFileName));
        await using var c = await db.OpenAsync(None);
        await using var delete = c.CreateCommand();
        delete.CommandText = "DELETE FROM work_order_transitions";

        var e = await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => delete.ExecuteNonQueryAsync(None));
        Assert.Contains("append-only", e.Message, StringComparison.Ordinal);
    }

    private SqliteMaintenanceStore Open() => new(new SqliteDatabase(Path.Combine(_dir, SqliteRecordStores.RecordsFileName)));

    private static WorkOrder Repair() =>
        new(0, WorkOrderKind.Repair, WorkOrderState.Open, "ct-01", "Fan", null, WorkOrderPriority.High, new LocalDate(2026, 3, 3), T0, "eng-bob");
}
