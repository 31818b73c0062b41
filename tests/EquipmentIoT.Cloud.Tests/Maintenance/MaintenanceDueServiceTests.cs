using EquipmentIoT.Cloud.Maintenance;
using NodaTime;

namespace EquipmentIoT.Cloud.Tests.Maintenance;

/// <summary>The due computation: calendar plans at month ends in the site's zone, usage plans from exam events, reminders once, idempotent opening.</summary>
public sealed class MaintenanceDueServiceTests
{
    private static readonly Instant Jan10 = Instant.FromUtc(2028, 1, 10, 1, 0);

    [Fact]
    public async Task RunAsync_DailyTwiceOverThreeMonths_OpensOneOrderPerMonthEndAndSendsEachNoticeOnce()
    {
        await using var h = await MaintenanceHarness.StartAsync(Jan10);
        await h.AddDeviceAsync("ct-01");
        var plan = await h.AddPlanAsync(new PlanRequest("ct-01", "Tube PM", PlanBasis.Calendar, EveryMonths: 1, Anchor: new LocalDate(2028, 1, 31)));

        // Every day at 09:00 in Shanghai, from 10 January to 1 April 2028 (a leap year), the job runs twice.
        for (var day = Jan10; day <= Instant.FromUtc(2028, 4, 1, 1, 0); day += Duration.FromDays(1))
        {
            h.Clock.Reset(day);
            var first = await h.RunAsync();
            var second = await h.RunAsync();
            Assert.Empty(first.Problems);
            Assert.Equal((0, 0, 0), (second.WorkOrdersOpened, second.RemindersSent, second.OverdueNotices));
        }

        var orders = (await h.OrdersAsync(plan.Id)).OrderBy(o => o.PlanOccurrence).ToList();
        Assert.Equal([new LocalDate(2028, 1, 31), new LocalDate(2028, 2, 29), new LocalDate(2028, 3, 31)], orders.Select(o => o.Due));
        Assert.Equal([1, 2, 3], orders.Select(o => o.PlanOccurrence!.Value));
        Assert.All(orders, o => Assert.Equal((WorkOrderKind.Planned, "system:maintenance"), (o.Kind, o.CreatedBy)));
        // Opened on the due day itself, at the first run of that local day.
        Assert.Equal(orders.Select(o => o.Due), orders.Select(o => o.Created.InZone(DateTimeZoneProviders.Tzdb["Asia/Shanghai"]).Date));

        Assert.Equal(orders.Select(o => o.Due), h.Notifier.Of(MaintenanceNoticeKind.PlanReminder).Select(n => n.Due));
        Assert.Equal(orders.Select(o => o.Due), h.Notifier.Of(MaintenanceNoticeKind.WorkOrderOpened).Select(n => n.Due));
        // Overdue from the day after each due day (the last one on 1 April).
        Assert.Equal(orders.Select(o => o.Id), h.Notifier.Of(MaintenanceNoticeKind.WorkOrderOverdue).Select(n => n.WorkOrderId!.Value));
        var reminder = h.Notifier.Of(MaintenanceNoticeKind.PlanReminder)[0];
        Assert.Equal(("Asia/Shanghai", "site-Asia-Shanghai", "CT", plan.Id), (reminder.TimeZone, reminder.Site, reminder.DeviceClass, reminder.PlanId!.Value));
    }

    [Fact]
    public async Task RunAsync_ReminderLead_SentOnTheLeadDayNotBefore()
    {
        await using var h = await MaintenanceHarness.StartAsync(Instant.FromUtc(2028, 1, 16, 15, 59));
        await h.AddDeviceAsync("ct-01");
        await h.AddPlanAsync(new PlanRequest("ct-01", "Tube PM", PlanBasis.Calendar, EveryMonths: 1, Anchor: new LocalDate(2028, 1, 31), ReminderDays: 14));

        await h.RunAsync();
        Assert.Empty(h.Notifier.Notices);

        h.Clock.AdvanceMinutes(1); // 17 January 00:00 in Shanghai: 14 days before the 31st.
        Assert.Equal(1, (await h.RunAsync()).RemindersSent);
        Assert.Contains("is due on 2028-01-31 (in 14 day(s))", Assert.Single(h.Notifier.Notices).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_DueDayBoundary_FollowsTheSitesZoneNotUtc()
    {
        await using var h = await MaintenanceHarness.StartAsync(Instant.FromUtc(2028, 1, 30, 15, 59));
        await h.AddDeviceAsync("ct-01", "Asia/Shanghai");
        await h.AddDeviceAsync("mr-01", "America/New_York");
        var shanghai = await h.AddPlanAsync(new PlanRequest("ct-01", "PM", PlanBasis.Calendar, EveryMonths: 1, Anchor: new LocalDate(2028, 1, 31)));
        var newYork = await h.AddPlanAsync(new PlanRequest("mr-01", "PM", PlanBasis.Calendar, EveryMonths: 1, Anchor: new LocalDate(2028, 1, 31)));

        Assert.Equal(0, (await h.RunAsync()).WorkOrdersOpened);
        h.Clock.AdvanceMinutes(1); // 31 January in Shanghai; still the 30th in New York.
        Assert.Equal(1, (await h.RunAsync()).WorkOrdersOpened);
        Assert.Single(await h.OrdersAsync(shanghai.Id));
        Assert.Empty(await h.OrdersAsync(newYork.Id));

        h.Clock.Reset(Instant.FromUtc(2028, 1, 31, 5, 0)); // midnight in New York
        Assert.Equal(1, (await h.RunAsync()).WorkOrdersOpened);
        Assert.Single(await h.OrdersAsync(newYork.Id));
    }

    [Fact]
    public async Task RunAsync_SeveralDuesPassedUnrun_OpensOneForTheLatestAndSaysSo()
    {
        await using var h = await MaintenanceHarness.StartAsync(Jan10);
        await h.AddDeviceAsync("ct-01");
        var plan = await h.AddPlanAsync(new PlanRequest("ct-01", "PM", PlanBasis.Calendar, EveryMonths: 1, Anchor: new LocalDate(2028, 1, 31)));

        h.Clock.Reset(Instant.FromUtc(2028, 4, 15, 1, 0));
        await h.RunAsync();

        var order = Assert.Single(await h.OrdersAsync(plan.Id));
        Assert.Equal((new LocalDate(2028, 3, 31), 1), (order.Due, order.PlanOccurrence!.Value));
        var detail = await h.WorkOrders.GetAsync(order.Id, CancellationToken.None);
        Assert.Contains("2 earlier due date(s) passed while the plan was not computed", detail!.Transitions![0].Comment, StringComparison.Ordinal);
        var status = (await h.Plans.GetAsync(plan.Id, CancellationToken.None))!.Status;
        Assert.Equal((2, new LocalDate(2028, 4, 30), new LocalDate(2028, 4, 16)), (status.NextOccurrence, status.NextDue!.Value, status.RemindOn!.Value));
    }

    [Fact]
    public async Task RunAsync_ExamPlan_RemindsAtNinetyPercentOpensAtTheIntervalAndCountsAgainFromCompletion()
    {
        var t0 = Instant.FromUtc(2026, 3, 2, 0, 0);
        await using var h = await MaintenanceHarness.StartAsync(t0);
        await h.AddDeviceAsync("ct-01");
        var plan = await h.AddPlanAsync(new PlanRequest("ct-01", "Tube check", PlanBasis.Usage, Measure: UsageMeasure.Exams, EveryUsage: 100));
        for (var i = 0; i < 50; i++) h.AddExam("ct-01", t0 - Duration.FromMinutes(10 * (i + 1))); // before the plan: not counted
        for (var i = 0; i < 89; i++) h.AddExam("ct-01", t0 + Duration.FromMinutes(10 * (i + 1)));
        h.AddExam("ct-01", t0 + Duration.FromHours(20), discontinued: true); // not an exam done
        h.Clock.Reset(t0 + Duration.FromDays(1));

        Assert.Equal((0, 0), Counts(await h.RunAsync()));
        h.AddExam("ct-01", t0 + Duration.FromHours(21));
        Assert.Equal((0, 1), Counts(await h.RunAsync()));
        Assert.Equal((0, 0), Counts(await h.RunAsync()));
        Assert.Contains("90 of 100 exams used since 2026-03-02T08:00:00+08:00", h.Notifier.Of(MaintenanceNoticeKind.PlanReminder)[0].Message, StringComparison.Ordinal);

        for (var i = 0; i < 10; i++) h.AddExam("ct-01", t0 + Duration.FromHours(22) + Duration.FromMinutes(i));
        Assert.Equal((1, 0), Counts(await h.RunAsync()));
        for (var i = 0; i < 200; i++) h.AddExam("ct-01", t0 + Duration.FromHours(23) + Duration.FromSeconds(i));
        Assert.Equal((0, 0), Counts(await h.RunAsync())); // its order is open: no second one
        var first = Assert.Single(await h.OrdersAsync(plan.Id));
        Assert.Equal(new LocalDate(2026, 3, 3), first.Due); // due the local day the use was reached

        h.Clock.Reset(t0 + Duration.FromDays(2));
        await h.CompleteAsync(first.Id);
        var status = (await h.Plans.GetAsync(plan.Id, CancellationToken.None))!.Status;
        Assert.Equal((0.0, t0 + Duration.FromDays(2), 2), (status.Used!.Value, status.CountedFrom!.Value, status.NextOccurrence));

        for (var i = 0; i < 100; i++) h.AddExam("ct-01", t0 + Duration.FromDays(2) + Duration.FromMinutes(i + 1));
        h.Clock.Reset(t0 + Duration.FromDays(3));
        Assert.Equal((1, 0), Counts(await h.RunAsync()));
        Assert.Equal([1, 2], (await h.OrdersAsync(plan.Id)).Select(o => o.PlanOccurrence!.Value).Order());
        // The reminder of occurrence 2 was never sent: the run that saw its threshold found the full interval.
        Assert.Single(h.Notifier.Of(MaintenanceNoticeKind.PlanReminder));
    }

    [Fact]
    public async Task RunAsync_ScanSecondsPlan_CountsExamTimeIncludingDiscontinuedExams()
    {
        var t0 = Instant.FromUtc(2026, 3, 2, 0, 0);
        await using var h = await MaintenanceHarness.StartAsync(t0);
        await h.AddDeviceAsync("ct-01");
        var plan = await h.AddPlanAsync(new PlanRequest("ct-01", "Tube", PlanBasis.Usage, Measure: UsageMeasure.ScanSeconds, EveryUsage: 3600, ReminderPercent: 0));
        h.AddExam("ct-01", t0 + Duration.FromHours(1), seconds: 1800);
        h.AddExam("ct-01", t0 + Duration.FromHours(2), seconds: 1200, discontinued: true);
        h.Clock.Reset(t0 + Duration.FromHours(3));

        var status = (await h.Plans.GetAsync(plan.Id, CancellationToken.None))!.Status;
        Assert.Equal(3000, status.Used);
        Assert.Equal((0, 0), Counts(await h.RunAsync()));
        h.AddExam("ct-01", t0 + Duration.FromHours(2.5), seconds: 600);
        Assert.Equal((1, 0), Counts(await h.RunAsync()));
    }

    [Fact]
    public async Task RunAsync_NotifierFails_ReminderIsKeptForTheNextRunAndThenSentOnce()
    {
        await using var h = await MaintenanceHarness.StartAsync(Instant.FromUtc(2028, 1, 20, 1, 0));
        await h.AddDeviceAsync("ct-01");
        await h.AddPlanAsync(new PlanRequest("ct-01", "PM", PlanBasis.Calendar, EveryMonths: 1, Anchor: new LocalDate(2028, 1, 31)));

        h.Notifier.Fail = true;
        var failed = await h.RunAsync();
        Assert.Contains(failed.Problems, p => p.Contains("notification queue unavailable", StringComparison.Ordinal));
        h.Notifier.Fail = false;

        Assert.Equal(1, (await h.RunAsync()).RemindersSent);
        Assert.Equal(0, (await h.RunAsync()).RemindersSent);
        Assert.Single(h.Notifier.Notices);
    }

    [Fact]
    public async Task RunAsync_DisabledOrDeletedPlan_OpensNothing()
    {
        await using var h = await MaintenanceHarness.StartAsync(Instant.FromUtc(2028, 2, 1, 1, 0));
        await h.AddDeviceAsync("ct-01");
        await h.AddPlanAsync(new PlanRequest("ct-01", "PM", PlanBasis.Calendar, EveryMonths: 1, Anchor: new LocalDate(2028, 2, 1), Enabled: false));
        var deleted = await h.AddPlanAsync(new PlanRequest("ct-01", "PM", PlanBasis.Calendar, EveryMonths: 1, Anchor: new LocalDate(2028, 2, 1)));
        Assert.True((await h.Plans.DeleteAsync(deleted.Id, MaintenanceHarness.Manager, CancellationToken.None)).Success);

        var report = await h.RunAsync();

        Assert.Equal((0, 0), (report.Plans, report.WorkOrdersOpened));
        Assert.Empty(await h.OrdersAsync());
    }

    [Fact]
    public async Task RunAsync_CalibrationItem_RemindsOnceOpensOnTheDueDayAndMovesOnWhenDone()
    {
        await using var h = await MaintenanceHarness.StartAsync(Instant.FromUtc(2026, 3, 2, 8, 0));
        await h.AddDeviceAsync("mr-01");
        var created = await h.Plans.CreateCalibrationAsync(new CalibrationRequest("mr-01", "Helium level probe", 12, SerialNumber: "HLP-7",
            Certificate: "CERT-1", Due: new LocalDate(2026, 4, 1)), MaintenanceHarness.Manager, CancellationToken.None);
        var item = created.Value!.Item;

        Assert.Equal(1, (await h.RunAsync()).RemindersSent); // 2 March is 30 days before 1 April
        Assert.Equal(0, (await h.RunAsync()).RemindersSent);
        h.Clock.Reset(Instant.FromUtc(2026, 3, 31, 16, 0)); // 1 April 00:00 in Shanghai
        Assert.Equal(1, (await h.RunAsync()).WorkOrdersOpened);
        Assert.Equal(0, (await h.RunAsync()).WorkOrdersOpened);
        var order = Assert.Single(await h.OrdersAsync());
        Assert.Equal((WorkOrderKind.Calibration, item.Id, new LocalDate(2026, 4, 1), "Calibrate Helium level probe (s/n HLP-7)"),
            (order.Kind, order.CalibrationId!.Value, order.Due, order.Title));

        h.Clock.Reset(Instant.FromUtc(2026, 4, 2, 2, 0));
        Assert.True((await h.WorkOrders.AssignAsync(order.Id, "eng-bob", "anna", null, CancellationToken.None)).Success);
        Assert.True((await h.WorkOrders.StartAsync(order.Id, "eng-bob", null, CancellationToken.None)).Success);
        Assert.True((await h.WorkOrders.DoneAsync(order.Id, new WorkDone("calibrated at lab", 3, Certificate: "CERT-2"), "eng-bob", CancellationToken.None)).Success);

        var moved = (await h.Plans.GetCalibrationAsync(item.Id, CancellationToken.None))!.Item;
        Assert.Equal((new LocalDate(2026, 4, 2), new LocalDate(2027, 4, 2), "CERT-2", "eng-bob"), (moved.LastCalibrated!.Value, moved.Due, moved.Certificate, moved.UpdatedBy));
        Assert.Equal(0, (await h.RunAsync()).WorkOrdersOpened);
    }

    private static (int Opened, int Reminders) Counts(DueRunReport report)
    {
        Assert.Empty(report.Problems);
        return (report.WorkOrdersOpened, report.RemindersSent);
    }
}
