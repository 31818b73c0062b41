using EquipmentIoT.Cloud.Alarms;
using EquipmentIoT.Cloud.Registry;
using NodaTime;
using NodaTime.Text;

namespace EquipmentIoT.Cloud.Maintenance;

/// <summary>
/// Work orders for people and alarms: repairs opened by hand or by an alarm, the lifecycle commands (each saved with its transition,
/// against the version it was based on), lists with the overdue filter in each device's local calendar, and the overdue list.
/// </summary>
public sealed class WorkOrderService(IMaintenanceStore store, MaintenanceZones zones, MaintenanceNotices notices, IClock clock)
{
    /// <summary>The most work orders one list returns.</summary>
    public const int MaxList = 1000;

    private const int MaxAttempts = 3;
    private const int MaxOpen = 10_000;

    /// <summary>Opens a repair work order by hand.</summary>
    public async Task<MaintenanceResult<WorkOrderView>> CreateRepairAsync(RepairRequest request, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new List<string>();
        if (RegistryRules.ValidateDeviceId(request.Device) is { } deviceError) errors.Add($"device: {deviceError}");
        MaintenanceText.Check(errors, "title", request.Title, MaintenanceText.MaxTitleLength, required: true);
        MaintenanceText.Check(errors, "description", request.Description, MaintenanceText.MaxNotesLength, multiline: true);
        MaintenanceText.Check(errors, "comment", request.Comment, MaintenanceText.MaxCommentLength, multiline: true);
        MaintenanceText.Check(errors, "actor", actor, MaintenanceText.MaxNameLength, required: true);
        if (request.Priority is { } p && !Enum.IsDefined(p)) errors.Add("priority: must be urgent, high, normal or low");
        if (errors.Count > 0) return MaintenanceResult<WorkOrderView>.Invalid(errors);

        var place = await zones.OfAsync(request.Device, cancellationToken).ConfigureAwait(false);
        if (place is null) return MaintenanceResult<WorkOrderView>.Invalid($"device: '{request.Device}' is not in the registry");
        var now = clock.GetCurrentInstant();
        var today = place.Today(now);
        var priority = request.Priority ?? WorkOrderPriority.Normal;
        var due = request.Due ?? today.PlusDays(MaintenanceOptions.RepairDueDays(priority));
        if (due < today) return MaintenanceResult<WorkOrderView>.Invalid($"due: {Date(due)} has passed at the device's site (today is {Date(today)} in {place.Zone.Id})");
        var order = new WorkOrder(0, WorkOrderKind.Repair, WorkOrderState.Open, request.Device, request.Title, request.Description, priority, due, now, actor,
            AlarmId: request.AlarmId);
        var opened = await store.OpenAsync(order, request.Comment, cancellationToken).ConfigureAwait(false);
        if (opened is null) return MaintenanceResult<WorkOrderView>.Conflict($"alarm {request.AlarmId} has an open work order already");
        return MaintenanceResult<WorkOrderView>.Ok(WorkOrderView.Of(opened, place, now,
            [new WorkOrderTransition(opened.Id, null, WorkOrderState.Open, now, actor, request.Comment)]));
    }

    /// <summary>
    /// Opens the repair work order of a raised alarm, once: nothing when any work order refers to the alarm already (the store also refuses
    /// a second open one). Returns the order opened, or null.
    /// </summary>
    public async Task<WorkOrder?> OpenRepairForAlarmAsync(Alarm alarm, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(alarm);
        if (await store.AnyForAlarmAsync(alarm.Id, cancellationToken).ConfigureAwait(false)) return null;
        var place = await zones.OfAsync(alarm.Device, cancellationToken).ConfigureAwait(false)
            ?? new DevicePlace(alarm.Device, alarm.Site, alarm.DeviceClass, DateTimeZone.Utc);
        var now = clock.GetCurrentInstant();
        var priority = MaintenanceOptions.PriorityOf(alarm.Severity);
        var title = $"Repair: alarm {alarm.RuleId}";
        var description = alarm.Reason.Length > MaintenanceText.MaxNotesLength ? alarm.Reason[..MaintenanceText.MaxNotesLength] : alarm.Reason;
        var order = new WorkOrder(0, WorkOrderKind.Repair, WorkOrderState.Open, alarm.Device, title, description, priority,
            place.Today(now).PlusDays(MaintenanceOptions.RepairDueDays(priority)), now, $"rule:{alarm.RuleId}", AlarmId: alarm.Id, AlarmRule: alarm.RuleId);
        var opened = await store.OpenAsync(order, $"opened by alarm {alarm.Id} ({alarm.Severity}) raised at {MaintenanceText.Local(alarm.RaisedAt, place.Zone)}",
            cancellationToken).ConfigureAwait(false);
        if (opened is not null)
            await notices.OpenedAsync(opened, place, $"work order {opened.Id} opened for alarm {alarm.Id} ({alarm.RuleId}) on {alarm.Device}", cancellationToken)
                .ConfigureAwait(false);
        return opened;
    }

    /// <summary>Assigns (or reassigns) a work order.</summary>
    public Task<MaintenanceResult<WorkOrderView>> AssignAsync(long id, string assignee, string actor, string? comment, CancellationToken cancellationToken) =>
        CommandAsync(id, (o, now) => WorkOrderLifecycle.Assign(o, assignee, actor, comment, now), null, cancellationToken);

    /// <summary>Starts the work.</summary>
    public Task<MaintenanceResult<WorkOrderView>> StartAsync(long id, string actor, string? comment, CancellationToken cancellationToken) =>
        CommandAsync(id, (o, now) => WorkOrderLifecycle.Start(o, actor, comment, now), null, cancellationToken);

    /// <summary>Records the work done; a calibration order moves its item on (calibrated today, due again after its interval).</summary>
    public Task<MaintenanceResult<WorkOrderView>> DoneAsync(long id, WorkDone work, string actor, CancellationToken cancellationToken) =>
        CommandAsync(id, (o, now) => WorkOrderLifecycle.Done(o, work, actor, now), work, cancellationToken);

    /// <summary>Verifies work someone else did.</summary>
    public Task<MaintenanceResult<WorkOrderView>> VerifyAsync(long id, string actor, string? comment, CancellationToken cancellationToken) =>
        CommandAsync(id, (o, now) => WorkOrderLifecycle.Verify(o, actor, comment, now), null, cancellationToken);

    /// <summary>Cancels an open work order.</summary>
    public Task<MaintenanceResult<WorkOrderView>> CancelAsync(long id, string reason, string actor, CancellationToken cancellationToken) =>
        CommandAsync(id, (o, now) => WorkOrderLifecycle.Cancel(o, reason, actor, now), null, cancellationToken);

    /// <summary>One work order with its transitions, or null.</summary>
    public async Task<WorkOrderView?> GetAsync(long id, CancellationToken cancellationToken)
    {
        var detail = await store.GetWorkOrderAsync(id, cancellationToken).ConfigureAwait(false);
        if (detail is null) return null;
        var place = await PlaceOfAsync(detail.WorkOrder.Device, cancellationToken).ConfigureAwait(false);
        return WorkOrderView.Of(detail.WorkOrder, place, clock.GetCurrentInstant(), detail.Transitions);
    }

    /// <summary>Work orders matching the query, newest first; <paramref name="overdueOnly"/> keeps those past their due day at their site.</summary>
    public async Task<IReadOnlyList<WorkOrderView>> ListAsync(WorkOrderQuery query, bool overdueOnly, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var places = await zones.LoadAsync(cancellationToken).ConfigureAwait(false);
        var now = clock.GetCurrentInstant();
        var stored = await store.ListWorkOrdersAsync(overdueOnly ? query with { OpenOnly = true, Limit = MaxOpen } : query, cancellationToken).ConfigureAwait(false);
        return [.. stored.Select(o => WorkOrderView.Of(o, places.Of(o.Device), now)).Where(v => !overdueOnly || v.Overdue).Take(query.Limit)];
    }

    /// <summary>Open work orders and calibration items past their due day at their site, most overdue first.</summary>
    public async Task<OverdueView> OverdueAsync(string? device, CancellationToken cancellationToken)
    {
        var places = await zones.LoadAsync(cancellationToken).ConfigureAwait(false);
        var now = clock.GetCurrentInstant();
        var orders = await store.ListWorkOrdersAsync(new WorkOrderQuery(Device: device, OpenOnly: true, Limit: MaxOpen), cancellationToken).ConfigureAwait(false);
        var items = await store.ListCalibrationsAsync(device, cancellationToken).ConfigureAwait(false);
        return new OverdueView(now,
            [.. orders.Select(o => WorkOrderView.Of(o, places.Of(o.Device), now)).Where(v => v.Overdue).OrderByDescending(v => v.DaysOverdue)
                .ThenBy(v => v.WorkOrder.Priority).ThenBy(v => v.WorkOrder.Id)],
            [.. items.Select(i => CalibrationView.Of(i, places.Of(i.Device), now)).Where(v => v.Overdue).OrderBy(v => v.DaysToDue).ThenBy(v => v.Item.Id)]);
    }

    private async Task<MaintenanceResult<WorkOrderView>> CommandAsync(long id, Func<WorkOrder, Instant, MaintenanceResult<WorkOrderStep>> command,
        WorkDone? done, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            if (await store.GetWorkOrderAsync(id, cancellationToken).ConfigureAwait(false) is not { } detail)
                return MaintenanceResult<WorkOrderView>.NotFound($"no work order {id}");
            var now = clock.GetCurrentInstant();
            var result = command(detail.WorkOrder, now);
            if (!result.Success) return result.As<WorkOrderView>();
            var place = await PlaceOfAsync(detail.WorkOrder.Device, cancellationToken).ConfigureAwait(false);
            var calibration = done is not null ? await CalibratedAsync(result.Value, done, place, now, cancellationToken).ConfigureAwait(false) : null;
            if (await store.SaveAsync(result.Value, detail.WorkOrder.Version, calibration, cancellationToken).ConfigureAwait(false))
            {
                var saved = result.Value.Order with { Version = detail.WorkOrder.Version + 1 };
                return MaintenanceResult<WorkOrderView>.Ok(WorkOrderView.Of(saved, place, now, [.. detail.Transitions, result.Value.Transition]));
            }
        }
        return MaintenanceResult<WorkOrderView>.Conflict($"work order {id} is being changed by someone else: read it again and retry");
    }

    // A calibration done today at the site: the item was calibrated today and is due again after its interval.
    private async Task<CalibrationItem?> CalibratedAsync(WorkOrderStep step, WorkDone done, DevicePlace place, Instant now, CancellationToken cancellationToken)
    {
        if (step.Order.CalibrationId is not { } itemId) return null;
        var item = await store.GetCalibrationAsync(itemId, cancellationToken).ConfigureAwait(false);
        if (item is null) return null;
        var today = place.Today(now);
        return item with
        {
            LastCalibrated = today, Due = today.PlusMonths(item.IntervalMonths), Certificate = done.Certificate ?? item.Certificate, Updated = now,
            UpdatedBy = step.Transition.Actor,
        };
    }

    private async Task<DevicePlace> PlaceOfAsync(string device, CancellationToken cancellationToken) =>
        await zones.OfAsync(device, cancellationToken).ConfigureAwait(false) ?? new DevicePlace(device, null, null, DateTimeZone.Utc);

    private static string Date(LocalDate date) => LocalDatePattern.Iso.Format(date);
}
