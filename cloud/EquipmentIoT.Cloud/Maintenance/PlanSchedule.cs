using NodaTime;

namespace EquipmentIoT.Cloud.Maintenance;

/// <summary>
/// Where a plan stands (pure): its next occurrence and due date or its use so far, from its work orders' history. The due job acts on
/// this; the API shows it.
/// </summary>
public static class PlanSchedule
{
    /// <summary>
    /// A calendar plan's next work order: the first due date after the last one opened (or, before any, on or after the local day the plan
    /// was made). When several dues have passed unopened (the job did not run, the plan was disabled), the next order takes the latest of
    /// them and <paramref name="skipped"/> counts the earlier ones, so that people get one order to act on rather than a pile.
    /// </summary>
    public static LocalDate NextCalendarDue(MaintenancePlan plan, PlanHistory history, DateTimeZone zone, LocalDate today, out int skipped)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(zone);
        if (plan.Basis != PlanBasis.Calendar || plan.Anchor is not { } anchor || plan.EveryMonths is not { } every)
            throw new ArgumentException($"plan {plan.Id} is not a calendar plan", nameof(plan));
        var from = history.LastDue is { } last ? last.PlusDays(1) : plan.Created.InZone(zone).Date;
        var k = PlanRules.IndexOnOrAfter(anchor, every, from);
        skipped = 0;
        if (PlanRules.DueOf(anchor, every, k) <= today)
        {
            var latest = PlanRules.IndexOnOrAfter(anchor, every, today.PlusDays(1)) - 1;
            skipped = latest - k;
            k = latest;
        }
        return PlanRules.DueOf(anchor, every, k);
    }

    /// <summary>The status of a calendar plan.</summary>
    public static PlanStatus Calendar(MaintenancePlan plan, PlanHistory history, DateTimeZone zone, LocalDate today)
    {
        var due = NextCalendarDue(plan, history, zone, today, out _);
        LocalDate? remind = plan.ReminderDays is > 0 and var days ? due.PlusDays(-days) : null;
        return new PlanStatus(plan.Id, zone.Id, today, history.LastOccurrence + 1, due, remind, null, null, null, null, history.OpenWorkOrder, null);
    }

    /// <summary>Where a usage plan counts from: its last work order done or cancelled, else its <see cref="MaintenancePlan.UsageFrom"/>.</summary>
    public static Instant CountedFrom(MaintenancePlan plan, PlanHistory history)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(history);
        return history.LastClosed is { } closed && closed > plan.UsageFrom ? closed : plan.UsageFrom;
    }

    /// <summary>The use at which a usage plan's reminder goes out, or null for none.</summary>
    public static double? RemindAt(MaintenancePlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return plan.EveryUsage is { } every && plan.ReminderPercent is > 0 and var pct ? every * (1 - pct / 100) : null;
    }

    /// <summary>The status of a usage plan with the use measured since <see cref="CountedFrom"/>.</summary>
    public static PlanStatus Usage(MaintenancePlan plan, PlanHistory history, DateTimeZone zone, LocalDate today, UsageReading reading)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(zone);
        ArgumentNullException.ThrowIfNull(reading);
        return new PlanStatus(plan.Id, zone.Id, today, history.LastOccurrence + 1, null, null, reading.Value, plan.EveryUsage, RemindAt(plan),
            CountedFrom(plan, history), history.OpenWorkOrder, reading.Problem);
    }
}
