using NodaTime;

namespace EquipmentIoT.Cloud.Maintenance;

/// <summary>What makes a plan's work come due.</summary>
public enum PlanBasis
{
    /// <summary>Every N months from an anchor date, in the local calendar of the device's site.</summary>
    Calendar,

    /// <summary>Every N units of use (exams, scan time, laser time, builds, counter hours), counted from the last completed work order.</summary>
    Usage,
}

/// <summary>How a usage plan measures use.</summary>
public enum UsageMeasure
{
    /// <summary>Completed exams (exam.completed events; discontinued exams are not counted).</summary>
    Exams,

    /// <summary>Seconds of exam time (exam durations as usage statistics pair them).</summary>
    ScanSeconds,

    /// <summary>Hours the laser was on: minutes in which the laser power metric rose above the configured threshold, over 60.</summary>
    LaserHours,

    /// <summary>Builds started (build records).</summary>
    Builds,

    /// <summary>Hours of a device's own running-hours counter metric (compressor_hours): its increase.</summary>
    CounterHours,
}

/// <summary>
/// A preventive maintenance plan of one device. Calendar plans use <see cref="EveryMonths"/> and <see cref="Anchor"/>; usage plans use
/// <see cref="Measure"/>, <see cref="EveryUsage"/> and, for counters and laser power, <see cref="Metric"/>. A plan is never removed from
/// the store (its work orders refer to it): deleting it stops it and hides it from lists.
/// </summary>
/// <param name="Id">The store's id.</param>
/// <param name="Device">The device the work is done on.</param>
/// <param name="Title">What is done ("Tube and generator PM", "Cold head service").</param>
/// <param name="EveryMonths">Calendar: months between occurrences.</param>
/// <param name="Anchor">Calendar: the first due date; occurrence k is due on Anchor + k × EveryMonths months (the month's last day when the
/// anchor's day does not exist in it: 31 January, 28/29 February, 31 March).</param>
/// <param name="Measure">Usage: what is counted.</param>
/// <param name="Metric">Usage: the counter metric (CounterHours) or the laser power metric (LaserHours, default laser_power).</param>
/// <param name="EveryUsage">Usage: the amount of use between services.</param>
/// <param name="ReminderDays">Calendar: how many days before the due date a reminder goes out (0: none).</param>
/// <param name="ReminderPercent">Usage: how far before the interval, in percent of it, a reminder goes out (0: none).</param>
/// <param name="Priority">The priority of its work orders.</param>
/// <param name="Enabled">False: kept and listed, but nothing is computed or opened.</param>
/// <param name="UsageFrom">Usage: where counting starts until the plan's first work order is done.</param>
/// <param name="Created">When the plan was made; a calendar plan's first occurrence is the first due on or after this local day.</param>
public sealed record MaintenancePlan(long Id, string Device, string Title, string? Description, PlanBasis Basis, int? EveryMonths, LocalDate? Anchor,
    UsageMeasure? Measure, string? Metric, double? EveryUsage, int? ReminderDays, double? ReminderPercent, WorkOrderPriority Priority, bool Enabled,
    Instant UsageFrom, Instant Created, string CreatedBy, Instant? Updated = null, string? UpdatedBy = null);

/// <summary>A plan as a manager writes it (create or replace). Absent reminder fields take the defaults (14 days, 10 %).</summary>
public sealed record PlanRequest(string Device, string Title, PlanBasis Basis, string? Description = null, int? EveryMonths = null,
    LocalDate? Anchor = null, UsageMeasure? Measure = null, string? Metric = null, double? EveryUsage = null, int? ReminderDays = null,
    double? ReminderPercent = null, WorkOrderPriority? Priority = null, bool? Enabled = null, Instant? UsageFrom = null);

/// <summary>Where a plan stands now: its next occurrence, and for usage plans how much use has been counted.</summary>
/// <param name="NextOccurrence">The number the next work order of the plan gets (1, 2, 3 …).</param>
/// <param name="NextDue">Calendar: the next occurrence's due date (site-local).</param>
/// <param name="RemindOn">Calendar: the local day its reminder goes out.</param>
/// <param name="Used">Usage: the use counted since <paramref name="CountedFrom"/>.</param>
/// <param name="RemindAt">Usage: the amount of use at which the reminder goes out.</param>
/// <param name="OpenWorkOrder">The plan's open work order that holds a usage plan back, if any.</param>
/// <param name="Problem">Why use could not be measured (no data, a store failed), if so.</param>
public sealed record PlanStatus(long PlanId, string TimeZone, LocalDate Today, int NextOccurrence, LocalDate? NextDue, LocalDate? RemindOn,
    double? Used, double? Every, double? RemindAt, Instant? CountedFrom, long? OpenWorkOrder, string? Problem);
