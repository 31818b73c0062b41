using NodaTime;

namespace EquipmentIoT.Cloud.Maintenance;

/// <summary>Maintenance plans and calibration items as managers keep them: validated, for devices the registry knows, by whom and when.</summary>
public sealed class PlanService(IMaintenanceStore store, MaintenanceZones zones, MaintenanceDueService due, IClock clock)
{
    /// <summary>Creates a plan.</summary>
    public async Task<MaintenanceResult<PlanView>> CreateAsync(PlanRequest request, string actor, CancellationToken cancellationToken)
    {
        if (await CheckAsync(PlanRules.Validate(request), request.Device, actor, cancellationToken).ConfigureAwait(false) is { } invalid)
            return invalid.As<PlanView>();
        var now = clock.GetCurrentInstant();
        var plan = await store.AddPlanAsync(ToPlan(request, 0, request.UsageFrom ?? now, now, actor), cancellationToken).ConfigureAwait(false);
        return MaintenanceResult<PlanView>.Ok(new PlanView(plan, await due.StatusAsync(plan, cancellationToken).ConfigureAwait(false)));
    }

    /// <summary>Replaces a plan's fields (its device stays: work orders of the plan are on it).</summary>
    public async Task<MaintenanceResult<PlanView>> UpdateAsync(long id, PlanRequest request, string actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await store.GetPlanAsync(id, cancellationToken).ConfigureAwait(false) is not { } existing)
            return MaintenanceResult<PlanView>.NotFound($"no maintenance plan {id}");
        var errors = PlanRules.Validate(request);
        if (request.Device != existing.Device)
            errors.Add($"device: plan {id} is for '{existing.Device}'; a plan keeps its device (delete it and make one for the other device)");
        if (await CheckAsync(errors, request.Device, actor, cancellationToken).ConfigureAwait(false) is { } invalid) return invalid.As<PlanView>();
        var now = clock.GetCurrentInstant();
        var plan = ToPlan(request, id, request.UsageFrom ?? existing.UsageFrom, existing.Created, existing.CreatedBy) with { Updated = now, UpdatedBy = actor };
        if (await store.UpdatePlanAsync(plan, cancellationToken).ConfigureAwait(false) is not { } saved)
            return MaintenanceResult<PlanView>.NotFound($"no maintenance plan {id}");
        return MaintenanceResult<PlanView>.Ok(new PlanView(saved, await due.StatusAsync(saved, cancellationToken).ConfigureAwait(false)));
    }

    /// <summary>Deletes a plan: it stops, its work orders stay.</summary>
    public async Task<MaintenanceResult<long>> DeleteAsync(long id, string actor, CancellationToken cancellationToken) =>
        await store.DeletePlanAsync(id, actor, clock.GetCurrentInstant(), cancellationToken).ConfigureAwait(false)
            ? MaintenanceResult<long>.Ok(id)
            : MaintenanceResult<long>.NotFound($"no maintenance plan {id}");

    /// <summary>One plan with its status, or null.</summary>
    public async Task<PlanView?> GetAsync(long id, CancellationToken cancellationToken) =>
        await store.GetPlanAsync(id, cancellationToken).ConfigureAwait(false) is { } plan
            ? new PlanView(plan, await due.StatusAsync(plan, cancellationToken).ConfigureAwait(false))
            : null;

    /// <summary>Plans (of one device, or all), by id.</summary>
    public Task<IReadOnlyList<MaintenancePlan>> ListAsync(string? device, CancellationToken cancellationToken) => store.ListPlansAsync(device, cancellationToken);

    /// <summary>Creates a calibration item.</summary>
    public async Task<MaintenanceResult<CalibrationView>> CreateCalibrationAsync(CalibrationRequest request, string actor, CancellationToken cancellationToken)
    {
        if (await CheckAsync(CalibrationRules.Validate(request), request.Device, actor, cancellationToken).ConfigureAwait(false) is { } invalid)
            return invalid.As<CalibrationView>();
        var now = clock.GetCurrentInstant();
        var item = await store.AddCalibrationAsync(ToItem(request, 0, now, actor), cancellationToken).ConfigureAwait(false);
        return MaintenanceResult<CalibrationView>.Ok(await ViewAsync(item, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Replaces a calibration item's fields (a calibration done elsewhere: new last date, due date and certificate).</summary>
    public async Task<MaintenanceResult<CalibrationView>> UpdateCalibrationAsync(long id, CalibrationRequest request, string actor,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await store.GetCalibrationAsync(id, cancellationToken).ConfigureAwait(false) is not { } existing)
            return MaintenanceResult<CalibrationView>.NotFound($"no calibration item {id}");
        if (await CheckAsync(CalibrationRules.Validate(request), request.Device, actor, cancellationToken).ConfigureAwait(false) is { } invalid)
            return invalid.As<CalibrationView>();
        var item = ToItem(request, id, existing.Created, existing.CreatedBy) with { Updated = clock.GetCurrentInstant(), UpdatedBy = actor };
        if (await store.UpdateCalibrationAsync(item, cancellationToken).ConfigureAwait(false) is not { } saved)
            return MaintenanceResult<CalibrationView>.NotFound($"no calibration item {id}");
        return MaintenanceResult<CalibrationView>.Ok(await ViewAsync(saved, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Deletes a calibration item (its work orders stay).</summary>
    public async Task<MaintenanceResult<long>> DeleteCalibrationAsync(long id, string actor, CancellationToken cancellationToken) =>
        await store.DeleteCalibrationAsync(id, actor, clock.GetCurrentInstant(), cancellationToken).ConfigureAwait(false)
            ? MaintenanceResult<long>.Ok(id)
            : MaintenanceResult<long>.NotFound($"no calibration item {id}");

    /// <summary>One calibration item, or null.</summary>
    public async Task<CalibrationView?> GetCalibrationAsync(long id, CancellationToken cancellationToken) =>
        await store.GetCalibrationAsync(id, cancellationToken).ConfigureAwait(false) is { } item ? await ViewAsync(item, cancellationToken).ConfigureAwait(false) : null;

    /// <summary>Calibration items (of one device, or all), by due date.</summary>
    public async Task<IReadOnlyList<CalibrationView>> ListCalibrationsAsync(string? device, CancellationToken cancellationToken)
    {
        var places = await zones.LoadAsync(cancellationToken).ConfigureAwait(false);
        var now = clock.GetCurrentInstant();
        return [.. (await store.ListCalibrationsAsync(device, cancellationToken).ConfigureAwait(false)).Select(i => CalibrationView.Of(i, places.Of(i.Device), now))];
    }

    private async Task<CalibrationView> ViewAsync(CalibrationItem item, CancellationToken cancellationToken) =>
        CalibrationView.Of(item, await zones.OfAsync(item.Device, cancellationToken).ConfigureAwait(false)
            ?? new DevicePlace(item.Device, null, null, DateTimeZone.Utc), clock.GetCurrentInstant());

    // The rules' errors, the actor, and a device the registry knows (checked only when the rest is valid: the id must be one first).
    private async Task<MaintenanceResult<bool>?> CheckAsync(List<string> errors, string device, string actor, CancellationToken cancellationToken)
    {
        MaintenanceText.Check(errors, "actor", actor, MaintenanceText.MaxNameLength, required: true);
        if (errors.Count == 0 && await zones.OfAsync(device, cancellationToken).ConfigureAwait(false) is null)
            errors.Add($"device: '{device}' is not in the registry (save its asset record first)");
        return errors.Count > 0 ? MaintenanceResult<bool>.Invalid(errors) : null;
    }

    private static MaintenancePlan ToPlan(PlanRequest r, long id, Instant usageFrom, Instant created, string createdBy)
    {
        var calendar = r.Basis == PlanBasis.Calendar;
        return new MaintenancePlan(id, r.Device, r.Title, r.Description, r.Basis, r.EveryMonths, r.Anchor, r.Measure, r.Metric, r.EveryUsage,
            calendar ? r.ReminderDays ?? PlanRules.DefaultReminderDays : null, calendar ? null : r.ReminderPercent ?? PlanRules.DefaultReminderPercent,
            r.Priority ?? WorkOrderPriority.Normal, r.Enabled ?? true, usageFrom, created, createdBy);
    }

    private static CalibrationItem ToItem(CalibrationRequest r, long id, Instant created, string createdBy) =>
        new(id, r.Device, r.Instrument, r.SerialNumber, r.Certificate, r.LastCalibrated, CalibrationRules.DueOf(r), r.IntervalMonths,
            r.ReminderDays ?? CalibrationRules.DefaultReminderDays, r.Notes, created, createdBy);
}
