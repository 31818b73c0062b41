using System.Buffers;
using System.Globalization;
using System.Text.Json;
using EquipmentIoT.Protocols.Telemetry.Json;
using EquipmentIoT.Protocols.Telemetry.Model;

namespace EquipmentIoT.Protocols.Telemetry.Commands;

/// <summary>Shared pieces of the command and reply codecs (SPEC.md §commands): strict JSON, reasons naming the member.</summary>
internal static class CommandJson
{
    /// <summary>Commands are small; a resend reply with many unavailable ranges is the largest document.</summary>
    public const int MaxCommandBytes = 4 * 1024;

    public const int MaxReplyBytes = 256 * 1024;

    /// <summary>The most batches one resend may ask for.</summary>
    public const long MaxResendBatches = 100_000;

    public static string? CheckDocument(ReadOnlySpan<byte> utf8Json, int maxBytes, string what)
    {
        if (utf8Json.Length > maxBytes)
            return string.Create(CultureInfo.InvariantCulture, $"{what}: {utf8Json.Length} bytes, more than the limit of {maxBytes}");
        if (!System.Text.Unicode.Utf8.IsValid(utf8Json)) return $"{what}: not valid UTF-8";
        return null;
    }

    public static string? ValidateRange(string? stream, long from, long to)
    {
        if (!TelemetryStreams.IsKnown(stream)) return "stream: must be \"metrics\" or \"events\"";
        if (from is < 1 or > TelemetryLimits.MaxSeq) return "from: must be an integer from 1 to 2^53-1";
        if (to is < 1 or > TelemetryLimits.MaxSeq) return "to: must be an integer from 1 to 2^53-1";
        if (from > to) return "to: must not be less than from";
        if (to - from + 1 > MaxResendBatches)
            return string.Create(CultureInfo.InvariantCulture, $"to: a resend covers at most {MaxResendBatches} batches; this one covers {to - from + 1}");
        return null;
    }

    public static string? ReadStream(ref Utf8JsonReader r, out string? stream)
    {
        stream = null;
        r.Read();
        if (r.TokenType == JsonTokenType.String && JsonText.EqualsUtf8(in r, "metrics"u8)) stream = TelemetryStreams.Metrics;
        else if (r.TokenType == JsonTokenType.String && JsonText.EqualsUtf8(in r, "events"u8)) stream = TelemetryStreams.Events;
        else return "stream: must be \"metrics\" or \"events\"";
        return null;
    }

    public static string? ReadInteger(ref Utf8JsonReader r, string name, long min, out long value)
    {
        r.Read();
        if (r.TokenType != JsonTokenType.Number || !r.TryGetInt64(out value) || value < min || value > TelemetryLimits.MaxSeq)
        {
            value = 0;
            return string.Create(CultureInfo.InvariantCulture, $"{name}: must be an integer from {min} to 2^53-1");
        }
        return null;
    }

    public static string MemberText(in Utf8JsonReader r)
    {
        string text;
        try
        {
            text = r.GetString() ?? "";
        }
        catch (InvalidOperationException)
        {
            text = "?";
        }
        return text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "…");
    }

    public static Utf8JsonWriter CreateWriter(IBufferWriter<byte> output) => new(output, TelemetryJsonNames.WriterOptions);

    public static JsonReaderOptions ReaderOptions => TelemetryJsonNames.ReaderOptions;
}
