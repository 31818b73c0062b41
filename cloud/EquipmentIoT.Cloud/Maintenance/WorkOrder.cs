using NodaTime;

namespace EquipmentIoT.Cloud.Maintenance;

/// <summary>Why a work order exists.</summary>
public enum WorkOrderKind
{
    /// <summary>Opened by a maintenance plan when an occurrence came due.</summary>
    Planned,

    /// <summary>Opened by an alarm, or by an engineer for a fault.</summary>
    Repair,

    /// <summary>Opened when a calibration item came due.</summary>
    Calibration,
}

/// <summary>
/// Where a work order stands: Open → Assigned → InProgress → Done → Verified; Open, Assigned and InProgress may be Cancelled.
/// Done, Verified and Cancelled are closed.
/// </summary>
public enum WorkOrderState
{
    /// <summary>Nobody has it yet.</summary>
    Open,

    /// <summary>Given to someone.</summary>
    Assigned,

    /// <summary>Work has started.</summary>
    InProgress,

    /// <summary>The work is done (notes, parts, labour recorded) and waits for someone else to verify it.</summary>
    Done,

    /// <summary>Someone other than who did the work checked it.</summary>
    Verified,

    /// <summary>Not done, for a stated reason.</summary>
    Cancelled,
}

/// <summary>How urgent a work order is, most urgent first.</summary>
public enum WorkOrderPriority
{
    /// <summary>Now: equipment or patients at stake (a critical alarm).</summary>
    Urgent,

    /// <summary>Within a day.</summary>
    High,

    /// <summary>Within a week: planned work.</summary>
    Normal,

    /// <summary>When convenient.</summary>
    Low,
}

/// <summary>A part used in the work, with its quantity (pieces, litres, metres: <paramref name="Unit"/>).</summary>
public sealed record PartUsed(string Part, double Quantity, string? Unit = null, string? Description = null);

/// <summary>
/// One work order on one device. It links to what opened it: a plan's occurrence, a calibration item's due date, or an alarm.
/// <paramref name="Due"/> is a local date of the device's site; the order is overdue once that day has passed there while it is open.
/// </summary>
/// <param name="Id">The store's id; 0 before it is saved.</param>
/// <param name="PlanOccurrence">For a planned order: which occurrence of the plan (1, 2, 3 …); at most one order per occurrence.</param>
/// <param name="AlarmRule">For a repair opened by an alarm: the alarm's rule.</param>
/// <param name="Completed">When it was marked done (usage plans count from here).</param>
/// <param name="Version">Bumped by every change; a change based on an older version is refused.</param>
public sealed record WorkOrder(long Id, WorkOrderKind Kind, WorkOrderState State, string Device, string Title, string? Description,
    WorkOrderPriority Priority, LocalDate Due, Instant Created, string CreatedBy, long? PlanId = null, int? PlanOccurrence = null,
    long? CalibrationId = null, long? AlarmId = null, string? AlarmRule = null, string? AssignedTo = null, Instant? Started = null,
    Instant? Completed = null, string? CompletedBy = null, string? Notes = null, double? LabourHours = null, Instant? Verified = null,
    string? VerifiedBy = null, Instant? Cancelled = null, string? CancelReason = null, long Version = 1)
{
    /// <summary>The parts used (recorded when it is done).</summary>
    public IReadOnlyList<PartUsed> Parts { get; init; } = [];

    /// <summary>True while work is still owed: Open, Assigned, InProgress.</summary>
    public bool IsOpen => IsOpenState(State);

    /// <summary>True for Open, Assigned and InProgress.</summary>
    public static bool IsOpenState(WorkOrderState state) => state is WorkOrderState.Open or WorkOrderState.Assigned or WorkOrderState.InProgress;

    /// <summary>True when it is open and its due day has passed on <paramref name="today"/> (the site's local date).</summary>
    public bool IsOverdueOn(LocalDate today) => IsOpen && Due < today;
}

/// <summary>One recorded change of a work order; the first has no <paramref name="From"/> (it was opened).</summary>
public sealed record WorkOrderTransition(long WorkOrderId, WorkOrderState? From, WorkOrderState To, Instant At, string Actor, string? Comment);

/// <summary>A work order with its transitions, oldest first.</summary>
public sealed record WorkOrderDetail(WorkOrder WorkOrder, IReadOnlyList<WorkOrderTransition> Transitions);

/// <summary>A filter for work order lists; null fields do not filter. <paramref name="OpenOnly"/>: Open, Assigned and InProgress only.</summary>
public sealed record WorkOrderQuery(string? Device = null, WorkOrderState? State = null, WorkOrderKind? Kind = null, long? PlanId = null,
    long? AlarmId = null, bool OpenOnly = false, int Limit = 100);
