using NodaTime;

namespace EquipmentIoT.Cloud.Usage;

/// <summary>A device as usage statistics see it: its class and the time zone and opening hours of its site.</summary>
public sealed record UsageDevice(string Id, string? DeviceClass, DateTimeZone Zone, OpeningHours Opening);

/// <summary>How the working time of a device was measured.</summary>
public enum WorkingTimeSource
{
    /// <summary>From its state events.</summary>
    States,

    /// <summary>From its exam durations (it sent no state events).</summary>
    Exams,
}

/// <summary>One local day of one device (or of a class of devices).</summary>
/// <param name="Working">Time working during the whole local day.</param>
/// <param name="Open">The opening time of the day (up to now, for today), the denominator of <paramref name="Utilisation"/>.</param>
/// <param name="Utilisation">Working time within the opening / the opening; null when there was no opening time.</param>
public sealed record UsageDay(LocalDate Date, int Exams, int Discontinued, Duration Working, Duration Open, double? Utilisation);

/// <summary>Usage of one device over a range of local days.</summary>
public sealed record DeviceUsage(string Device, string? DeviceClass, string TimeZone, WorkingTimeSource Source, int Exams, int Discontinued,
    Duration Working, Duration Open, double? Utilisation, IReadOnlyList<UsageDay> Days);

/// <summary>Usage of a class of devices: sums over its devices per local day (each device's own site day).</summary>
public sealed record ClassUsage(string? DeviceClass, int Devices, int Exams, int Discontinued, Duration Working, Duration Open,
    double? Utilisation, IReadOnlyList<UsageDay> Days);

/// <summary>Usage per device and per device class over the local days <paramref name="From"/> to <paramref name="To"/> (inclusive).</summary>
/// <param name="SkippedEvents">Events that could not be used (a state event without a text <c>state</c>, an exam completion without its start
/// when no duration was given is still counted, but has no working time).</param>
public sealed record UsageReport(LocalDate From, LocalDate To, IReadOnlyList<DeviceUsage> Devices, IReadOnlyList<ClassUsage> Classes,
    int SkippedEvents);
