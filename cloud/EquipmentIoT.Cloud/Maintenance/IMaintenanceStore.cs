using NodaTime;

namespace EquipmentIoT.Cloud.Maintenance;

/// <summary>
/// Maintenance plans, calibration items, work orders with their transitions, and the notices already sent. The store enforces the
/// rules that keep the due job idempotent across runs and instances: at most one work order per plan occurrence and per calibration
/// due date, and at most one open work order per alarm.
/// </summary>
public interface IMaintenanceStore
{
    /// <summary>Saves a new plan (its id is assigned).</summary>
    Task<MaintenancePlan> AddPlanAsync(MaintenancePlan plan, CancellationToken cancellationToken);

    /// <summary>Replaces a plan's fields; null when no plan (not deleted) has its id.</summary>
    Task<MaintenancePlan?> UpdatePlanAsync(MaintenancePlan plan, CancellationToken cancellationToken);

    /// <summary>Deletes a plan: it is kept for its work orders, stops and is no longer listed. False when no such plan.</summary>
    Task<bool> DeletePlanAsync(long id, string actor, Instant at, CancellationToken cancellationToken);

    /// <summary>A plan that is not deleted, or null.</summary>
    Task<MaintenancePlan?> GetPlanAsync(long id, CancellationToken cancellationToken);

    /// <summary>Plans that are not deleted (of one device, or all), by id.</summary>
    Task<IReadOnlyList<MaintenancePlan>> ListPlansAsync(string? device, CancellationToken cancellationToken);

    /// <summary>What the plan's work orders say about its schedule.</summary>
    Task<PlanHistory> PlanHistoryAsync(long planId, CancellationToken cancellationToken);

    /// <summary>Saves a new calibration item (its id is assigned).</summary>
    Task<CalibrationItem> AddCalibrationAsync(CalibrationItem item, CancellationToken cancellationToken);

    /// <summary>Replaces an item's fields; null when no such item.</summary>
    Task<CalibrationItem?> UpdateCalibrationAsync(CalibrationItem item, CancellationToken cancellationToken);

    /// <summary>Deletes an item (kept for its work orders, no longer listed). False when no such item.</summary>
    Task<bool> DeleteCalibrationAsync(long id, string actor, Instant at, CancellationToken cancellationToken);

    /// <summary>An item that is not deleted, or null.</summary>
    Task<CalibrationItem?> GetCalibrationAsync(long id, CancellationToken cancellationToken);

    /// <summary>Items that are not deleted (of one device, or all), by due date.</summary>
    Task<IReadOnlyList<CalibrationItem>> ListCalibrationsAsync(string? device, CancellationToken cancellationToken);

    /// <summary>
    /// Saves a new work order (state Open) with its first transition (by <see cref="WorkOrder.CreatedBy"/> at <see cref="WorkOrder.Created"/>).
    /// Null when a uniqueness rule holds it back: the plan occurrence or the calibration due date has an order already, or the alarm has
    /// an open one.
    /// </summary>
    Task<WorkOrder?> OpenAsync(WorkOrder order, string? comment, CancellationToken cancellationToken);

    /// <summary>
    /// Saves a change with its transition if the stored order is still at <paramref name="expectedVersion"/> (false otherwise: it was
    /// changed meanwhile). <paramref name="calibration"/>, when given, is saved in the same transaction (a calibration done moves its item on).
    /// </summary>
    Task<bool> SaveAsync(WorkOrderStep change, long expectedVersion, CalibrationItem? calibration, CancellationToken cancellationToken);

    /// <summary>A work order with its transitions, or null.</summary>
    Task<WorkOrderDetail?> GetWorkOrderAsync(long id, CancellationToken cancellationToken);

    /// <summary>Work orders matching the query, newest first.</summary>
    Task<IReadOnlyList<WorkOrder>> ListWorkOrdersAsync(WorkOrderQuery query, CancellationToken cancellationToken);

    /// <summary>True when any work order (open or closed) refers to the alarm.</summary>
    Task<bool> AnyForAlarmAsync(long alarmId, CancellationToken cancellationToken);

    /// <summary>Records that the notice <paramref name="key"/> goes out; false when it was recorded before (someone sent it already).</summary>
    Task<bool> ClaimNoticeAsync(string key, MaintenanceNoticeKind kind, Instant at, CancellationToken cancellationToken);

    /// <summary>Forgets a claimed notice that could not be sent, so that the next run tries again.</summary>
    Task ReleaseNoticeAsync(string key, CancellationToken cancellationToken);
}

/// <summary>A plan's work orders in short.</summary>
/// <param name="LastOccurrence">The highest occurrence with a work order (0: none yet).</param>
/// <param name="LastDue">The due date of that occurrence's work order.</param>
/// <param name="LastClosed">When the latest of its work orders was done or cancelled (usage plans count from here).</param>
/// <param name="OpenWorkOrder">One of its open work orders, if any.</param>
public sealed record PlanHistory(int LastOccurrence, LocalDate? LastDue, Instant? LastClosed, long? OpenWorkOrder);
