using System.Text.Json;
using System.Text.Json.Serialization;
using NodaTime;
using NodaTime.Text;

namespace EquipmentIoT.Cloud.Api.Json;

/// <summary>
/// Instants as RFC 3339 UTC text ("2026-03-01T08:00:00.123Z"; the fraction only as long as it needs to be),
/// local dates as "uuuu-MM-dd". Reading accepts any RFC 3339 offset ("+08:00") and converts to the instant.
/// </summary>
internal sealed class InstantJsonConverter : JsonConverter<Instant>
{
    public override Instant Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        return ApiText.TryParseInstant(text, out var instant)
            ? instant
            : throw new JsonException($"'{text}' is not an RFC 3339 date-time such as 2026-03-01T08:00:00Z");
    }

    public override void Write(Utf8JsonWriter writer, Instant value, JsonSerializerOptions options) =>
        writer.WriteStringValue(InstantPattern.ExtendedIso.Format(value));
}

/// <summary>Local dates as ISO "uuuu-MM-dd".</summary>
internal sealed class LocalDateJsonConverter : JsonConverter<LocalDate>
{
    public override LocalDate Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        var result = LocalDatePattern.Iso.Parse(text ?? "");
        return result.Success ? result.Value : throw new JsonException($"'{text}' is not a date such as 2026-03-01");
    }

    public override void Write(Utf8JsonWriter writer, LocalDate value, JsonSerializerOptions options) =>
        writer.WriteStringValue(LocalDatePattern.Iso.Format(value));
}

/// <summary>Parsing of the text forms the API accepts.</summary>
internal static class ApiText
{
    // RFC 3339 with "Z" or an offset; fractions of any length up to nanoseconds.
    private static readonly OffsetDateTimePattern Rfc3339 = OffsetDateTimePattern.ExtendedIso;

    public static bool TryParseInstant(string? text, out Instant instant)
    {
        instant = default;
        if (string.IsNullOrEmpty(text)) return false;
        var result = Rfc3339.Parse(text);
        if (!result.Success) return false;
        instant = result.Value.ToInstant();
        return true;
    }

    public static bool TryParseDate(string? text, out LocalDate date)
    {
        date = default;
        if (string.IsNullOrEmpty(text)) return false;
        var result = LocalDatePattern.Iso.Parse(text);
        if (!result.Success) return false;
        date = result.Value;
        return true;
    }
}
