using System.Globalization;
using NodaTime;

namespace EquipmentIoT.Cloud.Rules.Parsing;

/// <summary>
/// Durations in rule files: a number with a unit (<c>90s</c>, <c>15m</c> or <c>15min</c>, <c>6h</c>, <c>1d</c>) or a .NET
/// TimeSpan as configuration writes them (<c>00:15:00</c>, <c>1.00:00:00</c>).
/// </summary>
internal static class DurationText
{
    /// <summary>What the text may look like, for error messages.</summary>
    public const string Forms = "a duration such as 90s, 15m, 6h, 1d or 00:15:00";

    public static bool TryParse(string? text, out Duration duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var s = text.Trim();
        if (s.Contains(':', StringComparison.Ordinal))
        {
            if (!TimeSpan.TryParseExact(s, "c", CultureInfo.InvariantCulture, out var span) || span < TimeSpan.Zero) return false;
            duration = Duration.FromTimeSpan(span);
            return true;
        }

        var unitStart = s.Length;
        while (unitStart > 0 && char.IsAsciiLetter(s[unitStart - 1])) unitStart--;
        if (!double.TryParse(s.AsSpan(0, unitStart), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)) return false;
        double? seconds = s[unitStart..].ToLowerInvariant() switch
        {
            "ms" => amount / 1000,
            "s" => amount,
            "m" or "min" => amount * 60,
            "h" => amount * 3600,
            "d" => amount * 86400,
            _ => null,
        };
        // Up to a year: longer is a typo, and Duration arithmetic stays far from its limits.
        if (seconds is not { } value || !double.IsFinite(value) || value > 366 * 86400) return false;
        duration = Duration.FromMilliseconds(Math.Round(value * 1000));
        return true;
    }

    /// <summary>The shortest exact form TryParse reads back ("6h", "90s", "1500ms").</summary>
    public static string Format(Duration duration)
    {
        var ms = (long)duration.TotalMilliseconds;
        if (ms != 0 && ms % 86_400_000 == 0) return FormattableString.Invariant($"{ms / 86_400_000}d");
        if (ms != 0 && ms % 3_600_000 == 0) return FormattableString.Invariant($"{ms / 3_600_000}h");
        if (ms != 0 && ms % 60_000 == 0) return FormattableString.Invariant($"{ms / 60_000}m");
        if (ms % 1000 == 0) return FormattableString.Invariant($"{ms / 1000}s");
        return FormattableString.Invariant($"{ms}ms");
    }
}
