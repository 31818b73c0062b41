using NodaTime;
using NodaTime.Text;
using NodaTime.TimeZones;

namespace EquipmentIoT.Cloud.Notifications;

/// <summary>
/// A daily window of local time in a time zone when people are not to be woken (22:00–07:00 Asia/Shanghai).
/// The caller of the outbox turns it into a message's not-before with <see cref="NotBefore"/>: during the window
/// that is the window's end (the next 07:00 there), otherwise now; critical messages may bypass it. The window
/// is [start, end): it crosses midnight when start is after end; start equal to end is no window at all.
/// An end that a daylight-saving change skips is taken as the first instant after the gap (the first that is not quiet);
/// an end that occurs twice, as the earlier.
/// </summary>
public sealed class QuietHours
{
    /// <summary>Creates a window.</summary>
    /// <param name="start">When quiet begins, local time.</param>
    /// <param name="end">When quiet ends, local time.</param>
    /// <param name="zone">The recipients' zone.</param>
    /// <param name="criticalBypasses">Whether <see cref="NotBefore"/> lets critical messages through at once.</param>
    public QuietHours(LocalTime start, LocalTime end, DateTimeZone zone, bool criticalBypasses = true)
    {
        Start = start;
        End = end;
        Zone = zone ?? throw new ArgumentNullException(nameof(zone));
        CriticalBypasses = criticalBypasses;
    }

    private static readonly ZoneLocalMappingResolver EndResolver = Resolvers.CreateMappingResolver(Resolvers.ReturnEarlier, Resolvers.ReturnStartOfIntervalAfter);

    public LocalTime Start { get; }

    public LocalTime End { get; }

    public DateTimeZone Zone { get; }

    public bool CriticalBypasses { get; }

    /// <summary>
    /// Reads a window from text ("22:00", "07:00", "Asia/Shanghai"; times HH:mm or HH:mm:ss, zones from the TZDB);
    /// false with the reason when a part does not read.
    /// </summary>
    public static bool TryParse(string? start, string? end, string? zoneId, bool criticalBypasses, out QuietHours? quietHours, out string? error)
    {
        quietHours = null;
        if (!TryParseTime(start, out var from))
        {
            error = $"quiet hours start '{start}' is not a time of day (HH:mm)";
            return false;
        }
        if (!TryParseTime(end, out var to))
        {
            error = $"quiet hours end '{end}' is not a time of day (HH:mm)";
            return false;
        }
        if (string.IsNullOrEmpty(zoneId) || DateTimeZoneProviders.Tzdb.GetZoneOrNull(zoneId) is not { } zone)
        {
            error = $"'{zoneId}' is not a time zone of the TZDB (e.g. Asia/Shanghai)";
            return false;
        }
        quietHours = new QuietHours(from, to, zone, criticalBypasses);
        error = null;
        return true;
    }

    /// <summary>Whether <paramref name="instant"/> falls in the window.</summary>
    public bool Contains(Instant instant)
    {
        var local = instant.InZone(Zone).TimeOfDay;
        if (Start == End) return false;
        return Start < End ? local >= Start && local < End : local >= Start || local < End;
    }

    /// <summary>The first instant at or after <paramref name="now"/> outside the window.</summary>
    public Instant NextAllowed(Instant now)
    {
        if (!Contains(now)) return now;
        var local = now.InZone(Zone).LocalDateTime;
        // In the window: it ends today at End, unless the window began today before midnight (then tomorrow).
        var endDate = local.TimeOfDay >= End ? local.Date.PlusDays(1) : local.Date;
        return Zone.ResolveLocal(endDate.At(End), EndResolver).ToInstant();
    }

    /// <summary>The not-before of a message enqueued at <paramref name="now"/>: now for critical ones (when they bypass), else <see cref="NextAllowed"/>.</summary>
    public Instant NotBefore(Instant now, bool critical) => critical && CriticalBypasses ? now : NextAllowed(now);

    private static bool TryParseTime(string? text, out LocalTime time)
    {
        time = default;
        if (string.IsNullOrEmpty(text)) return false;
        var result = LocalTimePattern.CreateWithInvariantCulture("HH:mm").Parse(text);
        if (!result.Success) result = LocalTimePattern.CreateWithInvariantCulture("HH:mm:ss").Parse(text);
        if (!result.Success) return false;
        time = result.Value;
        return true;
    }
}
