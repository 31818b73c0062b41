using EquipmentIoT.Cloud.Registry;
using NodaTime;

namespace EquipmentIoT.Cloud.Maintenance;

/// <summary>What a plan must look like, and the calendar arithmetic of calendar plans (site-local dates, NodaTime month arithmetic).</summary>
public static class PlanRules
{
    /// <summary>The longest calendar interval: ten years.</summary>
    public const int MaxMonths = 120;

    /// <summary>The longest reminder lead of a calendar plan or calibration item.</summary>
    public const int MaxReminderDays = 365;

    /// <summary>The largest reminder lead of a usage plan, in percent of its interval.</summary>
    public const double MaxReminderPercent = 90;

    /// <summary>The default reminder lead of a calendar plan.</summary>
    public const int DefaultReminderDays = 14;

    /// <summary>The default reminder lead of a usage plan.</summary>
    public const double DefaultReminderPercent = 10;

    /// <summary>The laser power metric when a laser-hours plan names none (the PBF printer profile's).</summary>
    public const string DefaultLaserMetric = "laser_power";

    /// <summary>Every reason the request breaks the rules (field first), empty when it is a valid plan.</summary>
    public static List<string> Validate(PlanRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new List<string>();
        if (RegistryRules.ValidateDeviceId(request.Device) is { } deviceError) errors.Add($"device: {deviceError}");
        MaintenanceText.Check(errors, "title", request.Title, MaintenanceText.MaxTitleLength, required: true);
        MaintenanceText.Check(errors, "description", request.Description, MaintenanceText.MaxNotesLength, multiline: true);
        if (!Enum.IsDefined(request.Basis)) errors.Add("basis: must be calendar or usage");
        if (request.Priority is { } p && !Enum.IsDefined(p)) errors.Add("priority: must be urgent, high, normal or low");
        if (request.Basis == PlanBasis.Calendar) ValidateCalendar(request, errors);
        else if (request.Basis == PlanBasis.Usage) ValidateUsage(request, errors);
        return errors;
    }

    /// <summary>The due date of occurrence <paramref name="k"/> (0 = the anchor): counted from the anchor, so that a short month does not shift later ones.</summary>
    public static LocalDate DueOf(LocalDate anchor, int everyMonths, int k)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(everyMonths);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        return anchor.PlusMonths(checked(k * everyMonths));
    }

    /// <summary>The smallest occurrence k whose due date is on or after <paramref name="date"/>.</summary>
    public static int IndexOnOrAfter(LocalDate anchor, int everyMonths, LocalDate date)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(everyMonths);
        if (date <= anchor) return 0;
        // Whole months between them give a k at most one short; the days of the month decide the rest.
        var months = Period.Between(anchor, date, PeriodUnits.Months).Months;
        var k = Math.Max(0, months / everyMonths - 1);
        while (DueOf(anchor, everyMonths, k) < date) k++;
        return k;
    }

    /// <summary>The first due date of the schedule on or after <paramref name="date"/>.</summary>
    public static LocalDate FirstDueOnOrAfter(LocalDate anchor, int everyMonths, LocalDate date) =>
        DueOf(anchor, everyMonths, IndexOnOrAfter(anchor, everyMonths, date));

    /// <summary>The unit a measure is counted in, for messages.</summary>
    public static string UnitOf(UsageMeasure measure) => measure switch
    {
        UsageMeasure.Exams => "exams",
        UsageMeasure.ScanSeconds => "s of exam time",
        UsageMeasure.LaserHours => "laser hours",
        UsageMeasure.Builds => "builds",
        _ => "h",
    };

    private static void ValidateCalendar(PlanRequest r, List<string> errors)
    {
        if (r.EveryMonths is not { } months) errors.Add("everyMonths: required for a calendar plan");
        else if (months < 1 || months > MaxMonths) errors.Add($"everyMonths: must be from 1 to {MaxMonths}");
        if (r.Anchor is null) errors.Add("anchor: required for a calendar plan (the first due date)");
        if (r.ReminderDays is { } days && (days < 0 || days > MaxReminderDays)) errors.Add($"reminderDays: must be from 0 to {MaxReminderDays}");
        if (r.Measure is not null) errors.Add("measure: only for a usage plan");
        if (r.Metric is not null) errors.Add("metric: only for a usage plan");
        if (r.EveryUsage is not null) errors.Add("everyUsage: only for a usage plan");
        if (r.ReminderPercent is not null) errors.Add("reminderPercent: only for a usage plan (a calendar plan has reminderDays)");
        if (r.UsageFrom is not null) errors.Add("usageFrom: only for a usage plan");
    }

    private static void ValidateUsage(PlanRequest r, List<string> errors)
    {
        if (r.Measure is not { } measure || !Enum.IsDefined(measure))
        {
            errors.Add("measure: required for a usage plan: exams, scanSeconds, laserHours, builds or counterHours");
        }
        else if (measure == UsageMeasure.CounterHours)
        {
            if (r.Metric is null) errors.Add("metric: required for counterHours (the counter metric, e.g. compressor_hours)");
            else MaintenanceText.CheckMetric(errors, "metric", r.Metric);
        }
        else if (measure == UsageMeasure.LaserHours)
        {
            if (r.Metric is not null) MaintenanceText.CheckMetric(errors, "metric", r.Metric);
        }
        else if (r.Metric is not null)
        {
            errors.Add($"metric: only for counterHours and laserHours, not {measure}");
        }

        if (r.EveryUsage is not { } every) errors.Add("everyUsage: required for a usage plan");
        else if (!double.IsFinite(every) || every <= 0 || every > 1e9) errors.Add("everyUsage: must be above 0 and at most 1000000000");
        if (r.ReminderPercent is { } pct && (!double.IsFinite(pct) || pct < 0 || pct > MaxReminderPercent))
            errors.Add($"reminderPercent: must be from 0 to {MaxReminderPercent}");
        if (r.EveryMonths is not null) errors.Add("everyMonths: only for a calendar plan");
        if (r.Anchor is not null) errors.Add("anchor: only for a calendar plan");
        if (r.ReminderDays is not null) errors.Add("reminderDays: only for a calendar plan (a usage plan has reminderPercent)");
    }
}
