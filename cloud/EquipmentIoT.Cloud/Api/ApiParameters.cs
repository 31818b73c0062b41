using System.Globalization;
using System.Text.RegularExpressions;
using EquipmentIoT.Cloud.Api.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using NodaTime;
using NodaTime.Text;

namespace EquipmentIoT.Cloud.Api;

/// <summary>
/// Parses query parameters the way the API documents them and collects every problem, so that a bad request
/// gets one 400 naming each bad parameter and what it should look like.
/// </summary>
internal sealed partial class ApiParameters
{
    private readonly Dictionary<string, string[]> _errors = new(StringComparer.Ordinal);

    public bool Failed => _errors.Count > 0;

    public ValidationProblem Problem() => TypedResults.ValidationProblem(_errors, title: "Bad request parameters");

    public void Error(string name, string message) => _errors[name] = [message];

    /// <summary>An RFC 3339 instant ("2026-03-01T08:00:00Z", "…+08:00"), or the fallback when absent.</summary>
    public Instant? Instant(string name, string? text, Instant? fallback = null)
    {
        if (string.IsNullOrEmpty(text)) return fallback;
        if (ApiText.TryParseInstant(text, out var instant)) return instant;
        Error(name, $"'{text}' is not an RFC 3339 date-time such as 2026-03-01T08:00:00Z");
        return fallback;
    }

    /// <summary>An ISO date ("2026-03-01"), required.</summary>
    public LocalDate Date(string name, string? text)
    {
        if (ApiText.TryParseDate(text, out var date)) return date;
        Error(name, string.IsNullOrEmpty(text) ? "required: a date such as 2026-03-01" : $"'{text}' is not a date such as 2026-03-01");
        return default;
    }

    /// <summary>An integer in [min, max], or the fallback when absent.</summary>
    public int Int(string name, string? text, int fallback, int min, int max)
    {
        if (string.IsNullOrEmpty(text)) return fallback;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max) return value;
        Error(name, $"must be a whole number from {min} to {max}");
        return fallback;
    }

    /// <summary>A boolean ("true"/"false"), or false when absent.</summary>
    public bool Flag(string name, string? text)
    {
        if (string.IsNullOrEmpty(text)) return false;
        if (bool.TryParse(text, out var value)) return value;
        Error(name, "must be true or false");
        return false;
    }

    /// <summary>An enum member by name (case-insensitive), or the fallback when absent.</summary>
    public T? Enum<T>(string name, string? text)
        where T : struct, System.Enum
    {
        if (string.IsNullOrEmpty(text)) return null;
        if (System.Enum.TryParse<T>(text, ignoreCase: true, out var value) && System.Enum.IsDefined(value) && !char.IsAsciiDigit(text[0])) return value;
        Error(name, $"must be one of {string.Join(", ", System.Enum.GetNames<T>().Select(JsonCamel))}");
        return null;
    }

    /// <summary>
    /// A step: "30s", "1m", "15m", "1h", "1d", or an ISO 8601 duration ("PT1M", "PT1H", "P1D"), between
    /// <paramref name="min"/> and <paramref name="max"/>; null when absent.
    /// </summary>
    public Duration? Step(string name, string? text, Duration min, Duration max)
    {
        if (string.IsNullOrEmpty(text)) return null;
        Duration? step = null;
        var shortForm = ShortStep().Match(text);
        if (shortForm.Success && long.TryParse(shortForm.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= 1_000_000)
        {
            step = shortForm.Groups[2].Value switch
            {
                "s" => Duration.FromSeconds(n),
                "m" => Duration.FromMinutes(n),
                "h" => Duration.FromHours(n),
                _ => Duration.FromDays(n),
            };
        }
        else if (PeriodPattern.NormalizingIso.Parse(text) is { Success: true, Value: { Years: 0, Months: 0 } period })
        {
            // Weeks, days and time units have fixed lengths; months and years do not.
            step = period.ToDuration();
        }

        if (step is null)
        {
            Error(name, $"'{text}' is not a step such as 30s, 1m, 1h, 1d, PT1M or P1D");
            return null;
        }
        if (step < min || step > max)
        {
            Error(name, $"must be from {Format(min)} to {Format(max)}");
            return null;
        }
        return step;
    }

    /// <summary>camelCase of an enum member name, as the JSON uses it.</summary>
    public static string JsonCamel(string name) => char.ToLowerInvariant(name[0]) + name[1..];

    private static string Format(Duration d) => d.TotalSeconds < 60 ? $"{d.TotalSeconds:0}s" : d.TotalMinutes < 60 ? $"{d.TotalMinutes:0}m" : d.TotalHours < 48 ? $"{d.TotalHours:0}h" : $"{d.TotalDays:0}d";

    [GeneratedRegex("^([0-9]{1,7})(s|m|h|d)$", RegexOptions.CultureInvariant)]
    private static partial Regex ShortStep();
}
