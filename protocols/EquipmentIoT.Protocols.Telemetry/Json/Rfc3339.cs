using NodaTime;

namespace EquipmentIoT.Protocols.Telemetry.Json;

/// <summary>
/// The one timestamp form of envelope v1: RFC 3339 §5.6 <c>date-time</c> in UTC with exactly three
/// fraction digits and an upper-case <c>Z</c>, e.g. <c>2026-11-22T10:00:01.250Z</c> (24 bytes). Written
/// digit by digit into a span (no strings, no culture); read back with every field range-checked.
/// </summary>
internal static class Rfc3339
{
    /// <summary>Bytes in a timestamp: <c>yyyy-MM-ddTHH:mm:ss.fffZ</c>.</summary>
    public const int Length = 24;

    public const string Rule = "not an RFC 3339 UTC timestamp with milliseconds (yyyy-MM-ddTHH:mm:ss.fffZ)";

    // Years 0001..9999: what four digits and DateTime can hold (RFC 3339 §5.6 date-fullyear).
    public static readonly Instant Min = Instant.FromUtc(1, 1, 1, 0, 0);
    public static readonly Instant Max = Instant.FromDateTimeUtc(DateTime.SpecifyKind(DateTime.MaxValue, DateTimeKind.Utc));

    public static bool InRange(Instant instant) => instant >= Min && instant <= Max;

    /// <summary>
    /// Writes <paramref name="instant"/> truncated to the millisecond (towards the past).
    /// The caller has checked <see cref="InRange"/>; <paramref name="destination"/> holds 24 bytes.
    /// </summary>
    public static void Write(Instant instant, Span<byte> destination)
    {
        // 00-03 year, 04 '-', 05-06 month, 07 '-', 08-09 day, 10 'T', 11-12 hour, 13 ':', 14-15 minute,
        // 16 ':', 17-18 second, 19 '.', 20-22 millisecond, 23 'Z'
        var d = destination[..Length];
        var utc = instant.ToDateTimeUtc();
        utc.Deconstruct(out int year, out int month, out int day);
        var ticksOfDay = utc.TimeOfDay.Ticks;
        var msOfDay = (int)(ticksOfDay / TimeSpan.TicksPerMillisecond);
        var second = msOfDay / 1000;
        Digits4(d, year);
        d[4] = (byte)'-';
        Digits2(d[5..], month);
        d[7] = (byte)'-';
        Digits2(d[8..], day);
        d[10] = (byte)'T';
        Digits2(d[11..], second / 3600);
        d[13] = (byte)':';
        Digits2(d[14..], second / 60 % 60);
        d[16] = (byte)':';
        Digits2(d[17..], second % 60);
        d[19] = (byte)'.';
        var ms = msOfDay % 1000;
        d[20] = (byte)('0' + ms / 100);
        Digits2(d[21..], ms % 100);
        d[23] = (byte)'Z';
    }

    /// <summary>The timestamp as a string (for messages and tests).</summary>
    public static string Format(Instant instant)
    {
        Span<byte> buffer = stackalloc byte[Length];
        Write(instant, buffer);
        return System.Text.Encoding.ASCII.GetString(buffer);
    }

    /// <summary>Reads exactly the 24-byte form; anything else (offsets, lower-case, leap second 60, 2 or 4 fraction digits) is refused.</summary>
    public static bool TryParse(ReadOnlySpan<byte> s, out Instant instant)
    {
        instant = default;
        if (s.Length != Length
            || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != '.' || s[23] != 'Z')
        {
            return false;
        }
        if (!TryDigits(s[..4], out var year) || !TryDigits(s.Slice(5, 2), out var month) || !TryDigits(s.Slice(8, 2), out var day)
            || !TryDigits(s.Slice(11, 2), out var hour) || !TryDigits(s.Slice(14, 2), out var minute)
            || !TryDigits(s.Slice(17, 2), out var second) || !TryDigits(s.Slice(20, 3), out var ms))
        {
            return false;
        }
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }
        instant = Instant.FromDateTimeUtc(new DateTime(year, month, day, hour, minute, second, ms, DateTimeKind.Utc));
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<byte> s, out int value)
    {
        value = 0;
        foreach (var b in s)
        {
            if (b is < (byte)'0' or > (byte)'9') return false;
            value = value * 10 + (b - '0');
        }
        return true;
    }

    private static void Digits2(Span<byte> d, int value)
    {
        d[0] = (byte)('0' + value / 10);
        d[1] = (byte)('0' + value % 10);
    }

    private static void Digits4(Span<byte> d, int value)
    {
        Digits2(d, value / 100);
        Digits2(d[2..], value % 100);
    }
}
