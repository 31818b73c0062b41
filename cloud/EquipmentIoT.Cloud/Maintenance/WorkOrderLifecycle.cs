using NodaTime;

namespace EquipmentIoT.Cloud.Maintenance;

/// <summary>A change of a work order and the transition that records it.</summary>
public sealed record WorkOrderStep(WorkOrder Order, WorkOrderTransition Transition);

/// <summary>What is recorded when the work is done.</summary>
/// <param name="Notes">What was done and found (required).</param>
/// <param name="LabourHours">Hours of work (0 to 1000).</param>
/// <param name="Certificate">For a calibration: the new certificate's number.</param>
public sealed record WorkDone(string Notes, double LabourHours, IReadOnlyList<PartUsed>? Parts = null, string? Certificate = null);

/// <summary>
/// The work order state machine (pure): Open → Assigned → InProgress → Done → Verified, and Cancelled from any open state. Each command
/// checks the state and its input and returns the changed order with its transition, or why it is refused: a transition the state does
/// not allow is a <see cref="MaintenanceProblem.Conflict"/>, bad input <see cref="MaintenanceProblem.Invalid"/>.
/// </summary>
public static class WorkOrderLifecycle
{
    /// <summary>The most part lines one order records.</summary>
    public const int MaxParts = 100;

    /// <summary>The most labour hours one order records.</summary>
    public const double MaxLabourHours = 1000;

    /// <summary>Open or Assigned → Assigned to <paramref name="assignee"/> (a reassignment is recorded like the first).</summary>
    public static MaintenanceResult<WorkOrderStep> Assign(WorkOrder order, string assignee, string actor, string? comment, Instant now)
    {
        ArgumentNullException.ThrowIfNull(order);
        var errors = Person(actor, comment);
        MaintenanceText.Check(errors, "assignee", assignee, MaintenanceText.MaxNameLength, required: true);
        if (errors.Count > 0) return MaintenanceResult<WorkOrderStep>.Invalid(errors);
        if (order.State is not (WorkOrderState.Open or WorkOrderState.Assigned)) return Refused(order, "assigned", "Open or Assigned");
        return Step(order, order with { State = WorkOrderState.Assigned, AssignedTo = assignee }, actor, comment ?? $"assigned to {assignee}", now);
    }

    /// <summary>Assigned → InProgress.</summary>
    public static MaintenanceResult<WorkOrderStep> Start(WorkOrder order, string actor, string? comment, Instant now)
    {
        ArgumentNullException.ThrowIfNull(order);
        var errors = Person(actor, comment);
        if (errors.Count > 0) return MaintenanceResult<WorkOrderStep>.Invalid(errors);
        if (order.State == WorkOrderState.Open)
            return MaintenanceResult<WorkOrderStep>.Conflict($"work order {order.Id} is Open: assign it to someone before work starts");
        if (order.State != WorkOrderState.Assigned) return Refused(order, "started", "Assigned");
        return Step(order, order with { State = WorkOrderState.InProgress, Started = now }, actor, comment, now);
    }

    /// <summary>InProgress → Done, with notes, parts and labour hours.</summary>
    public static MaintenanceResult<WorkOrderStep> Done(WorkOrder order, WorkDone work, string actor, Instant now)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(work);
        var errors = Person(actor, null);
        MaintenanceText.Check(errors, "notes", work.Notes, MaintenanceText.MaxNotesLength, required: true, multiline: true);
        if (!double.IsFinite(work.LabourHours) || work.LabourHours < 0 || work.LabourHours > MaxLabourHours)
            errors.Add($"labourHours: must be from 0 to {MaxLabourHours}");
        CheckParts(errors, work.Parts ?? []);
        MaintenanceText.Check(errors, "certificate", work.Certificate, MaintenanceText.MaxShortLength);
        if (work.Certificate is not null && order.Kind != WorkOrderKind.Calibration) errors.Add("certificate: only for calibration work orders");
        if (errors.Count > 0) return MaintenanceResult<WorkOrderStep>.Invalid(errors);
        if (order.State != WorkOrderState.InProgress) return Refused(order, "done", "InProgress");
        var done = order with
        {
            State = WorkOrderState.Done, Completed = now, CompletedBy = actor, Notes = work.Notes, LabourHours = work.LabourHours,
            Parts = [.. work.Parts ?? []],
        };
        return Step(order, done, actor, null, now);
    }

    /// <summary>Done → Verified, by someone other than who did the work (four eyes).</summary>
    public static MaintenanceResult<WorkOrderStep> Verify(WorkOrder order, string actor, string? comment, Instant now)
    {
        ArgumentNullException.ThrowIfNull(order);
        var errors = Person(actor, comment);
        if (errors.Count > 0) return MaintenanceResult<WorkOrderStep>.Invalid(errors);
        if (order.State != WorkOrderState.Done) return Refused(order, "verified", "Done");
        if (string.Equals(order.CompletedBy, actor, StringComparison.OrdinalIgnoreCase))
            return MaintenanceResult<WorkOrderStep>.Conflict($"work order {order.Id} was done by {order.CompletedBy}: someone else must verify it");
        return Step(order, order with { State = WorkOrderState.Verified, Verified = now, VerifiedBy = actor }, actor, comment, now);
    }

    /// <summary>Open, Assigned or InProgress → Cancelled, with a reason.</summary>
    public static MaintenanceResult<WorkOrderStep> Cancel(WorkOrder order, string reason, string actor, Instant now)
    {
        ArgumentNullException.ThrowIfNull(order);
        var errors = Person(actor, null);
        MaintenanceText.Check(errors, "reason", reason, MaintenanceText.MaxCommentLength, required: true, multiline: true);
        if (errors.Count > 0) return MaintenanceResult<WorkOrderStep>.Invalid(errors);
        if (!order.IsOpen) return Refused(order, "cancelled", "Open, Assigned or InProgress");
        return Step(order, order with { State = WorkOrderState.Cancelled, Cancelled = now, CancelReason = reason }, actor, reason, now);
    }

    private static MaintenanceResult<WorkOrderStep> Step(WorkOrder before, WorkOrder after, string actor, string? comment, Instant now) =>
        MaintenanceResult<WorkOrderStep>.Ok(new WorkOrderStep(after, new WorkOrderTransition(before.Id, before.State, after.State, now, actor, comment)));

    private static MaintenanceResult<WorkOrderStep> Refused(WorkOrder order, string what, string allowed) =>
        MaintenanceResult<WorkOrderStep>.Conflict($"work order {order.Id} is {order.State}: only a work order that is {allowed} can be {what}");

    private static List<string> Person(string actor, string? comment)
    {
        var errors = new List<string>();
        MaintenanceText.Check(errors, "actor", actor, MaintenanceText.MaxNameLength, required: true);
        MaintenanceText.Check(errors, "comment", comment, MaintenanceText.MaxCommentLength, multiline: true);
        return errors;
    }

    private static void CheckParts(List<string> errors, IReadOnlyList<PartUsed> parts)
    {
        if (parts.Count > MaxParts)
        {
            errors.Add($"parts: at most {MaxParts} lines");
            return;
        }
        for (var i = 0; i < parts.Count; i++)
        {
            var part = parts[i];
            if (part is null)
            {
                errors.Add($"parts[{i}]: empty");
                continue;
            }
            MaintenanceText.Check(errors, $"parts[{i}].part", part.Part, MaintenanceText.MaxShortLength, required: true);
            MaintenanceText.Check(errors, $"parts[{i}].unit", part.Unit, MaintenanceText.MaxShortLength);
            MaintenanceText.Check(errors, $"parts[{i}].description", part.Description, MaintenanceText.MaxTitleLength);
            if (!double.IsFinite(part.Quantity) || part.Quantity <= 0 || part.Quantity > 1_000_000)
                errors.Add($"parts[{i}].quantity: must be above 0 and at most 1000000");
        }
    }
}
