using NodaTime;

namespace EquipmentIoT.Cloud.Maintenance;

/// <summary>
/// A work order as the API shows it: with the device's site time zone, whether it is overdue there, its times in local time, and (for
/// one order) its transitions.
/// </summary>
/// <param name="DaysOverdue">Local days since the due day passed (0 when not overdue).</param>
/// <param name="CreatedLocal">When it was opened, RFC 3339 with the site's offset.</param>
public sealed record WorkOrderView(WorkOrder WorkOrder, string TimeZone, bool Overdue, int DaysOverdue, string CreatedLocal, string? CompletedLocal,
    IReadOnlyList<TransitionView>? Transitions = null)
{
    /// <summary>The view of <paramref name="order"/> at <paramref name="now"/>.</summary>
    public static WorkOrderView Of(WorkOrder order, DevicePlace place, Instant now, IReadOnlyList<WorkOrderTransition>? transitions = null)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(place);
        var today = place.Today(now);
        var overdue = order.IsOverdueOn(today);
        return new WorkOrderView(order, place.Zone.Id, overdue, overdue ? Period.Between(order.Due, today, PeriodUnits.Days).Days : 0,
            MaintenanceText.Local(order.Created, place.Zone), order.Completed is { } done ? MaintenanceText.Local(done, place.Zone) : null,
            transitions?.Select(t => new TransitionView(t.From, t.To, t.At, MaintenanceText.Local(t.At, place.Zone), t.Actor, t.Comment)).ToList());
    }
}

/// <summary>One transition of a work order, with its time in the site's local time.</summary>
public sealed record TransitionView(WorkOrderState? From, WorkOrderState To, Instant At, string AtLocal, string Actor, string? Comment);

/// <summary>A calibration item with its site time zone and where its due date stands there.</summary>
/// <param name="DaysToDue">Local days until the due date (negative once it has passed).</param>
public sealed record CalibrationView(CalibrationItem Item, string TimeZone, bool Overdue, int DaysToDue)
{
    /// <summary>The view of <paramref name="item"/> at <paramref name="now"/>.</summary>
    public static CalibrationView Of(CalibrationItem item, DevicePlace place, Instant now)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(place);
        var today = place.Today(now);
        return new CalibrationView(item, place.Zone.Id, item.IsOverdueOn(today), Period.Between(today, item.Due, PeriodUnits.Days).Days);
    }
}

/// <summary>A plan with where it stands now.</summary>
public sealed record PlanView(MaintenancePlan Plan, PlanStatus Status);

/// <summary>Everything overdue: open work orders past their due day and calibration items past theirs, most overdue first.</summary>
public sealed record OverdueView(Instant At, IReadOnlyList<WorkOrderView> WorkOrders, IReadOnlyList<CalibrationView> Calibrations);

/// <summary>A repair work order an engineer opens by hand.</summary>
/// <param name="Due">The site-local due date; by default from the priority (urgent today, high tomorrow, normal in a week, low in a month).</param>
/// <param name="AlarmId">The alarm it answers, if any (refused while another open work order answers the same alarm).</param>
public sealed record RepairRequest(string Device, string Title, string? Description = null, WorkOrderPriority? Priority = null, LocalDate? Due = null,
    long? AlarmId = null, string? Comment = null);
