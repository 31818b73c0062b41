using EquipmentIoT.Cloud.Registry;
using NodaTime;

namespace EquipmentIoT.Cloud.Maintenance;

/// <summary>
/// A measuring instrument of a device that must be calibrated at an interval (a dosimeter, the MR helium level probe, a printer's oxygen
/// sensor), with its certificate. A reminder goes out <paramref name="ReminderDays"/> before <paramref name="Due"/>; on the due day a
/// calibration work order opens, and when that order is done the item moves on: calibrated that day, due again
/// <paramref name="IntervalMonths"/> later.
/// </summary>
/// <param name="Due">The site-local date the next calibration is due.</param>
public sealed record CalibrationItem(long Id, string Device, string Instrument, string? SerialNumber, string? Certificate, LocalDate? LastCalibrated,
    LocalDate Due, int IntervalMonths, int ReminderDays, string? Notes, Instant Created, string CreatedBy, Instant? Updated = null, string? UpdatedBy = null)
{
    /// <summary>True once the due day has passed on <paramref name="today"/> (the site's local date).</summary>
    public bool IsOverdueOn(LocalDate today) => Due < today;
}

/// <summary>A calibration item as a manager writes it. <paramref name="Due"/> defaults to <paramref name="LastCalibrated"/> + the interval.</summary>
public sealed record CalibrationRequest(string Device, string Instrument, int IntervalMonths, string? SerialNumber = null, string? Certificate = null,
    LocalDate? LastCalibrated = null, LocalDate? Due = null, int? ReminderDays = null, string? Notes = null);

/// <summary>What a calibration item must look like.</summary>
public static class CalibrationRules
{
    /// <summary>The default reminder lead: a month, as calibration labs are booked ahead.</summary>
    public const int DefaultReminderDays = 30;

    /// <summary>Every reason the request breaks the rules, empty when valid.</summary>
    public static List<string> Validate(CalibrationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var errors = new List<string>();
        if (RegistryRules.ValidateDeviceId(request.Device) is { } deviceError) errors.Add($"device: {deviceError}");
        MaintenanceText.Check(errors, "instrument", request.Instrument, MaintenanceText.MaxTitleLength, required: true);
        MaintenanceText.Check(errors, "serialNumber", request.SerialNumber, MaintenanceText.MaxShortLength);
        MaintenanceText.Check(errors, "certificate", request.Certificate, MaintenanceText.MaxShortLength);
        MaintenanceText.Check(errors, "notes", request.Notes, MaintenanceText.MaxNotesLength, multiline: true);
        if (request.IntervalMonths < 1 || request.IntervalMonths > PlanRules.MaxMonths) errors.Add($"intervalMonths: must be from 1 to {PlanRules.MaxMonths}");
        if (request.ReminderDays is { } days && (days < 0 || days > PlanRules.MaxReminderDays))
            errors.Add($"reminderDays: must be from 0 to {PlanRules.MaxReminderDays}");
        if (request.Due is null && request.LastCalibrated is null) errors.Add("due: required unless lastCalibrated is given (due = lastCalibrated + intervalMonths)");
        if (request.Due is { } due && request.LastCalibrated is { } last && due <= last) errors.Add("due: must be after lastCalibrated");
        return errors;
    }

    /// <summary>The due date a valid request sets.</summary>
    public static LocalDate DueOf(CalibrationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Due ?? request.LastCalibrated!.Value.PlusMonths(request.IntervalMonths);
    }
}
