using System.Buffers;
using System.Globalization;
using NodaTime;
using NodaTime.Text;

namespace EquipmentIoT.Cloud.Maintenance;

/// <summary>The rules for text people type into maintenance records (titles, notes, names), and how local times are written.</summary>
public static class MaintenanceText
{
    /// <summary>Longest title (plans, work orders, instruments).</summary>
    public const int MaxTitleLength = 200;

    /// <summary>Longest free text (descriptions, done notes).</summary>
    public const int MaxNotesLength = 4000;

    /// <summary>Longest comment or cancel reason.</summary>
    public const int MaxCommentLength = 1000;

    /// <summary>Longest person name (an API token's name is at most 64).</summary>
    public const int MaxNameLength = 64;

    /// <summary>Longest short field (serial number, certificate, part number, unit).</summary>
    public const int MaxShortLength = 100;

    private static readonly SearchValues<char> MetricChars = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-");

    // RFC 3339 with the site's offset ("2026-03-02T20:00:00+08:00"), so that people read the local time and machines the instant.
    private static readonly OffsetDateTimePattern LocalPattern = OffsetDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd'T'HH':'mm':'sso<Z+HH:mm>");

    /// <summary>Adds "field: reason" to <paramref name="errors"/> when <paramref name="value"/> is missing (if required), too long or has control characters.</summary>
    public static void Check(List<string> errors, string field, string? value, int maxLength, bool required = false, bool multiline = false)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (string.IsNullOrWhiteSpace(value))
        {
            if (required) errors.Add($"{field}: required");
            else if (value is { Length: > 0 }) errors.Add($"{field}: must not be blank");
            return;
        }
        if (value.Length > maxLength) errors.Add($"{field}: longer than {maxLength} characters");
        foreach (var c in value)
        {
            if (char.IsControl(c) && !(multiline && c is '\n' or '\r' or '\t'))
            {
                errors.Add($"{field}: contains control characters");
                return;
            }
        }
    }

    /// <summary>Adds an error when <paramref name="metric"/> is not a metric name (1–64 of A-Z a-z 0-9 . _ -).</summary>
    public static void CheckMetric(List<string> errors, string field, string metric)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (metric is not { Length: > 0 and <= 64 } || metric.AsSpan().ContainsAnyExcept(MetricChars))
            errors.Add($"{field}: a metric name is 1 to 64 characters from [A-Za-z0-9._-]");
    }

    /// <summary>The instant in the zone as RFC 3339 with the local offset.</summary>
    public static string Local(Instant instant, DateTimeZone zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        return LocalPattern.Format(instant.InZone(zone).ToOffsetDateTime());
    }

    /// <summary>A number for messages, without needless decimals.</summary>
    public static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
