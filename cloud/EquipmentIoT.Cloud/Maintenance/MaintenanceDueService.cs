using Microsoft.Extensions.Logging;
using NodaTime;
using NodaTime.Text;

namespace EquipmentIoT.Cloud.Maintenance;

/// <summary>What one run of the due computation did.</summary>
/// <param name="Problems">Plans or items that could not be computed, and notices that could not be sent (each retried on the next run).</param>
public sealed record DueRunReport(Instant At, int Plans, int Calibrations, int WorkOrdersOpened, int RemindersSent, int OverdueNotices,
    IReadOnlyList<string> Problems);

/// <summary>
/// The due computation (run hourly by <see cref="MaintenanceDueJob"/>, or by hand): for each enabled plan the next due (calendar, or use
/// counted from its last work order done) → a reminder once the lead is reached → exactly one planned work order when due; for each
/// calibration item the same with a calibration work order; and one overdue notice per open work order whose due day has passed.
/// Running it twice changes nothing the second time: the store holds one work order per occurrence and one record per notice sent.
/// </summary>
public sealed partial class MaintenanceDueService(IMaintenanceStore store, MaintenanceZones zones, IMaintenanceUsageSource usage,
    MaintenanceNotices notices, IClock clock, ILogger<MaintenanceDueService> logger) : IDisposable
{
    /// <summary>The actor of what the due job does.</summary>
    public const string Actor = "system:maintenance";

    private const int MaxOpenOrders = 10_000;

    private readonly SemaphoreSlim _running = new(1, 1);

    /// <summary>Runs the computation once (one run at a time in this process; other instances are kept apart by the store).</summary>
    public async Task<DueRunReport> RunAsync(CancellationToken cancellationToken)
    {
        await _running.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var run = new Run(clock.GetCurrentInstant(), await zones.LoadAsync(cancellationToken).ConfigureAwait(false));
            var plans = (await store.ListPlansAsync(null, cancellationToken).ConfigureAwait(false)).Where(p => p.Enabled).ToList();
            foreach (var plan in plans)
                await GuardAsync(run, $"plan {plan.Id}", () => PlanAsync(run, plan, cancellationToken)).ConfigureAwait(false);
            var items = await store.ListCalibrationsAsync(null, cancellationToken).ConfigureAwait(false);
            foreach (var item in items)
                await GuardAsync(run, $"calibration item {item.Id}", () => CalibrationAsync(run, item, cancellationToken)).ConfigureAwait(false);
            await GuardAsync(run, "overdue work orders", () => OverdueAsync(run, cancellationToken)).ConfigureAwait(false);
            var report = new DueRunReport(run.Now, plans.Count, items.Count, run.Opened, run.Reminders, run.Overdue, run.Problems);
            Completed(logger, report.Plans, report.Calibrations, report.WorkOrdersOpened, report.RemindersSent, report.OverdueNotices, report.Problems.Count);
            return report;
        }
        finally
        {
            _running.Release();
        }
    }

    /// <summary>Where a plan stands now (its next due, or its use so far).</summary>
    public async Task<PlanStatus> StatusAsync(MaintenancePlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var place = await zones.OfAsync(plan.Device, cancellationToken).ConfigureAwait(false)
            ?? new DevicePlace(plan.Device, null, null, DateTimeZone.Utc);
        return await StatusAsync(plan, place, clock.GetCurrentInstant(), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public void Dispose() => _running.Dispose();

    private async Task<PlanStatus> StatusAsync(MaintenancePlan plan, DevicePlace place, Instant now, CancellationToken cancellationToken)
    {
        var history = await store.PlanHistoryAsync(plan.Id, cancellationToken).ConfigureAwait(false);
        return plan.Basis == PlanBasis.Calendar
            ? PlanSchedule.Calendar(plan, history, place.Zone, place.Today(now))
            : await UsageStatusAsync(plan, history, place, now, cancellationToken).ConfigureAwait(false);
    }

    private async Task<PlanStatus> UsageStatusAsync(MaintenancePlan plan, PlanHistory history, DevicePlace place, Instant now, CancellationToken cancellationToken)
    {
        // A plan with an open order waits for it to be done: its use counts from then.
        var reading = history.OpenWorkOrder is null
            ? await usage.MeasureAsync(plan, PlanSchedule.CountedFrom(plan, history), now, cancellationToken).ConfigureAwait(false)
            : UsageReading.Unavailable($"work order {history.OpenWorkOrder} of the plan is open");
        return PlanSchedule.Usage(plan, history, place.Zone, place.Today(now), reading);
    }

    private async Task PlanAsync(Run run, MaintenancePlan plan, CancellationToken cancellationToken)
    {
        var place = run.Places.Of(plan.Device);
        var today = place.Today(run.Now);
        var history = await store.PlanHistoryAsync(plan.Id, cancellationToken).ConfigureAwait(false);
        if (plan.Basis == PlanBasis.Calendar)
        {
            var due = PlanSchedule.NextCalendarDue(plan, history, place.Zone, today, out var skipped);
            if (due <= today)
            {
                var why = $"plan {plan.Id}: occurrence {history.LastOccurrence + 1} due {Date(due)}"
                    + (skipped > 0 ? $" ({skipped} earlier due date(s) passed while the plan was not computed)" : "");
                await OpenPlannedAsync(run, plan, place, history.LastOccurrence + 1, due, why, cancellationToken).ConfigureAwait(false);
            }
            else if (plan.ReminderDays is > 0 and var lead && today >= due.PlusDays(-lead))
            {
                var days = Period.Between(today, due, PeriodUnits.Days).Days;
                await RemindAsync(run, $"plan:{plan.Id}:due:{Date(due)}:reminder", Notice(MaintenanceNoticeKind.PlanReminder, plan, place, due,
                    $"{plan.Title} on {plan.Device} is due on {Date(due)} (in {days} day(s))"), cancellationToken).ConfigureAwait(false);
            }
            return;
        }

        if (history.OpenWorkOrder is not null) return;
        var status = await UsageStatusAsync(plan, history, place, run.Now, cancellationToken).ConfigureAwait(false);
        if (status.Problem is { } problem)
        {
            run.Problems.Add($"plan {plan.Id}: {problem}");
            return;
        }

        var used = status.Used!.Value;
        var every = plan.EveryUsage!.Value;
        var unit = PlanRules.UnitOf(plan.Measure!.Value);
        var since = MaintenanceText.Local(status.CountedFrom!.Value, place.Zone);
        if (used >= every)
        {
            var why = $"plan {plan.Id}: {MaintenanceText.Number(used)} of {MaintenanceText.Number(every)} {unit} since {since}";
            await OpenPlannedAsync(run, plan, place, status.NextOccurrence, status.Today, why, cancellationToken).ConfigureAwait(false);
        }
        else if (status.RemindAt is { } remindAt && used >= remindAt)
        {
            await RemindAsync(run, $"plan:{plan.Id}:occurrence:{status.NextOccurrence}:reminder", Notice(MaintenanceNoticeKind.PlanReminder, plan, place,
                status.Today, $"{plan.Title} on {plan.Device}: {MaintenanceText.Number(used)} of {MaintenanceText.Number(every)} {unit} used since {since}"),
                cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task OpenPlannedAsync(Run run, MaintenancePlan plan, DevicePlace place, int occurrence, LocalDate due, string why,
        CancellationToken cancellationToken)
    {
        var order = new WorkOrder(0, WorkOrderKind.Planned, WorkOrderState.Open, plan.Device, plan.Title, plan.Description, plan.Priority, due, run.Now,
            Actor, PlanId: plan.Id, PlanOccurrence: occurrence);
        var opened = await store.OpenAsync(order, why, cancellationToken).ConfigureAwait(false);
        // Null: another instance (or a run a moment ago) opened this occurrence; the unique index kept it to one.
        if (opened is null) return;
        run.Opened++;
        await notices.OpenedAsync(opened, place, $"work order {opened.Id} opened: {plan.Title} on {plan.Device}, due {Date(due)} ({why})", cancellationToken)
            .ConfigureAwait(false);
    }

    private async Task CalibrationAsync(Run run, CalibrationItem item, CancellationToken cancellationToken)
    {
        var place = run.Places.Of(item.Device);
        var today = place.Today(run.Now);
        var title = $"Calibrate {item.Instrument}" + (item.SerialNumber is { } serial ? $" (s/n {serial})" : "");
        if (item.Due <= today)
        {
            var order = new WorkOrder(0, WorkOrderKind.Calibration, WorkOrderState.Open, item.Device, title, item.Notes, WorkOrderPriority.Normal, item.Due,
                run.Now, Actor, CalibrationId: item.Id);
            var opened = await store.OpenAsync(order, $"calibration item {item.Id} due {Date(item.Due)}", cancellationToken).ConfigureAwait(false);
            if (opened is null) return;
            run.Opened++;
            await notices.OpenedAsync(opened, place, $"work order {opened.Id} opened: {title} on {item.Device}, due {Date(item.Due)}", cancellationToken)
                .ConfigureAwait(false);
        }
        else if (item.ReminderDays > 0 && today >= item.Due.PlusDays(-item.ReminderDays))
        {
            var notice = new MaintenanceNotice(MaintenanceNoticeKind.CalibrationReminder, item.Device, place.Site, place.DeviceClass, title, item.Due,
                place.Zone.Id, WorkOrderPriority.Normal, $"{title} on {item.Device} is due on {Date(item.Due)}", CalibrationId: item.Id);
            await RemindAsync(run, $"calibration:{item.Id}:due:{Date(item.Due)}:reminder", notice, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task OverdueAsync(Run run, CancellationToken cancellationToken)
    {
        var open = await store.ListWorkOrdersAsync(new WorkOrderQuery(OpenOnly: true, Limit: MaxOpenOrders), cancellationToken).ConfigureAwait(false);
        foreach (var order in open)
        {
            var place = run.Places.Of(order.Device);
            if (!order.IsOverdueOn(place.Today(run.Now))) continue;
            var notice = new MaintenanceNotice(MaintenanceNoticeKind.WorkOrderOverdue, order.Device, place.Site, place.DeviceClass, order.Title, order.Due,
                place.Zone.Id, order.Priority, $"work order {order.Id} ({order.Title} on {order.Device}) was due on {Date(order.Due)} and is {order.State}",
                order.PlanId, order.Id, order.CalibrationId);
            try
            {
                if (await notices.OnceAsync($"work-order:{order.Id}:overdue", notice, run.Now, cancellationToken).ConfigureAwait(false)) run.Overdue++;
            }
            catch (MaintenanceNoticeException e)
            {
                run.Problems.Add(e.Message);
            }
        }
    }

    private async Task RemindAsync(Run run, string key, MaintenanceNotice notice, CancellationToken cancellationToken)
    {
        if (await notices.OnceAsync(key, notice, run.Now, cancellationToken).ConfigureAwait(false)) run.Reminders++;
    }

    private async Task GuardAsync(Run run, string what, Func<Task> step)
    {
        try
        {
            await step().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // One plan's failure (a store that did not answer, a notifier down) must not keep the others from coming due.
            StepFailed(logger, e, what);
            run.Problems.Add($"{what}: {e.Message}");
        }
    }

    private static MaintenanceNotice Notice(MaintenanceNoticeKind kind, MaintenancePlan plan, DevicePlace place, LocalDate due, string message) =>
        new(kind, plan.Device, place.Site, place.DeviceClass, plan.Title, due, place.Zone.Id, plan.Priority, message, plan.Id);

    private static string Date(LocalDate date) => LocalDatePattern.Iso.Format(date);

    [LoggerMessage(EventId = 5403, Level = LogLevel.Warning, Message = "Maintenance due computation of {What} failed")]
    private static partial void StepFailed(ILogger logger, Exception exception, string what);

    [LoggerMessage(EventId = 5404, Level = LogLevel.Information,
        Message = "Maintenance due run: {Plans} plans, {Calibrations} calibration items, {Opened} work orders opened, {Reminders} reminders, {Overdue} overdue notices, {Problems} problems")]
    private static partial void Completed(ILogger logger, int plans, int calibrations, int opened, int reminders, int overdue, int problems);

    private sealed class Run(Instant now, DevicePlaces places)
    {
        public Instant Now { get; } = now;

        public DevicePlaces Places { get; } = places;

        public int Opened { get; set; }

        public int Reminders { get; set; }

        public int Overdue { get; set; }

        public List<string> Problems { get; } = [];
    }
}
