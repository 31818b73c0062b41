using EquipmentIoT.Cloud.Usage;
using NodaTime;

namespace EquipmentIoT.Cloud.Api.Contracts;

/// <summary>One local day: exams, working and opening hours, utilisation (0-1, null without opening time).</summary>
public sealed record UsageDayView(LocalDate Date, int Exams, int Discontinued, double WorkingHours, double OpenHours, double? Utilisation)
{
    public static UsageDayView Of(UsageDay d) => new(d.Date, d.Exams, d.Discontinued, Hours(d.Working), Hours(d.Open), d.Utilisation);

    internal static double Hours(Duration d) => Math.Round(d.TotalHours, 6);
}

/// <summary>Usage of one device over the range.</summary>
public sealed record DeviceUsageView(string Device, string? DeviceClass, string TimeZone, WorkingTimeSource Source, int Exams, int Discontinued,
    double WorkingHours, double OpenHours, double? Utilisation, IReadOnlyList<UsageDayView> Days)
{
    public static DeviceUsageView Of(DeviceUsage u) => new(u.Device, u.DeviceClass, u.TimeZone, u.Source, u.Exams, u.Discontinued,
        UsageDayView.Hours(u.Working), UsageDayView.Hours(u.Open), u.Utilisation, [.. u.Days.Select(UsageDayView.Of)]);
}

/// <summary>Usage of a device class over the range.</summary>
public sealed record ClassUsageView(string? DeviceClass, int Devices, int Exams, int Discontinued, double WorkingHours, double OpenHours,
    double? Utilisation, IReadOnlyList<UsageDayView> Days)
{
    public static ClassUsageView Of(ClassUsage u) => new(u.DeviceClass, u.Devices, u.Exams, u.Discontinued, UsageDayView.Hours(u.Working),
        UsageDayView.Hours(u.Open), u.Utilisation, [.. u.Days.Select(UsageDayView.Of)]);
}

/// <summary>Usage per device and per class over local days From..To.</summary>
public sealed record UsageView(LocalDate From, LocalDate To, IReadOnlyList<DeviceUsageView> Devices, IReadOnlyList<ClassUsageView> Classes,
    int SkippedEvents)
{
    public static UsageView Of(UsageReport r) =>
        new(r.From, r.To, [.. r.Devices.Select(DeviceUsageView.Of)], [.. r.Classes.Select(ClassUsageView.Of)], r.SkippedEvents);
}
