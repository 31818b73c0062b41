using System.Buffers;
using System.Globalization;
using System.Text.Json;
using EquipmentIoT.Protocols.Telemetry.Json;

namespace EquipmentIoT.Protocols.Telemetry.Commands;

/// <summary>
/// The agent's reply to <see cref="ResendCommand"/> (SPEC.md §commands), on
/// <c>eq/v1/{agentId}/reply/resend</c>, after it has queued the batches it still has:
/// <c>{"stream":"metrics","from":10,"to":20,"republished":11,"unavailable":[[10,10]]}</c>.
/// </summary>
/// <param name="Stream">Echo of the command's stream.</param>
/// <param name="From">Echo of the command's first seq.</param>
/// <param name="To">Echo of the command's last seq.</param>
/// <param name="Republished">How many of the batches were queued for publishing again.</param>
/// <param name="Unavailable">Ranges within From..To no longer on the agent's disk (deleted after PUBACK, or dropped by the buffer policy), ascending and disjoint.</param>
public sealed record ResendReply(string Stream, long From, long To, long Republished, IReadOnlyList<SeqRange> Unavailable)
{
    /// <summary>Most ranges in <see cref="Unavailable"/>; an agent with more merges neighbours.</summary>
    public const int MaxUnavailableRanges = 10_000;

    /// <summary>Null when the reply is consistent; otherwise why not.</summary>
    public string? Validate()
    {
        if (CommandJson.ValidateRange(Stream, From, To) is { } rangeError) return rangeError;
        if (Unavailable is null) return "unavailable: must not be null";
        if (Unavailable.Count > MaxUnavailableRanges)
            return string.Create(CultureInfo.InvariantCulture, $"unavailable: more than {MaxUnavailableRanges} ranges");
        long missing = 0;
        long previousTo = From - 1;
        for (var i = 0; i < Unavailable.Count; i++)
        {
            var range = Unavailable[i];
            if (range.From > range.To || range.From <= previousTo || range.To > To)
                return string.Create(CultureInfo.InvariantCulture, $"unavailable[{i}]: ranges must lie within from..to, ascending and disjoint");
            missing += range.Count;
            previousTo = range.To;
        }
        var count = To - From + 1;
        if (Republished < 0 || Republished + missing > count)
            return string.Create(CultureInfo.InvariantCulture, $"republished: {Republished} plus {missing} unavailable is more than the {count} batches asked for");
        return null;
    }

    /// <summary>Writes the reply's JSON.</summary>
    /// <exception cref="ArgumentException">The reply is not consistent (see <see cref="Validate"/>).</exception>
    public void WriteTo(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (Validate() is { } error) throw new ArgumentException("cannot write resend reply: " + error);
        using var json = CommandJson.CreateWriter(output);
        json.WriteStartObject();
        json.WriteString("stream"u8, Stream);
        json.WriteNumber("from"u8, From);
        json.WriteNumber("to"u8, To);
        json.WriteNumber("republished"u8, Republished);
        json.WriteStartArray("unavailable"u8);
        foreach (var range in Unavailable)
        {
            json.WriteStartArray();
            json.WriteNumberValue(range.From);
            json.WriteNumberValue(range.To);
            json.WriteEndArray();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>The reply's JSON as a new array.</summary>
    public byte[] ToUtf8()
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        WriteTo(buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a resend reply strictly.</summary>
    public static TelemetryResult<ResendReply> Parse(ReadOnlySpan<byte> utf8Json)
    {
        if (CommandJson.CheckDocument(utf8Json, CommandJson.MaxReplyBytes, "resend reply") is { } docError) return Fail(docError);
        var reader = new Utf8JsonReader(utf8Json, CommandJson.ReaderOptions);
        try
        {
            return ReadObject(ref reader);
        }
        catch (JsonException)
        {
            return Fail("resend reply: malformed JSON");
        }
    }

    private static TelemetryResult<ResendReply> ReadObject(ref Utf8JsonReader r)
    {
        if (!r.Read() || r.TokenType != JsonTokenType.StartObject) return Fail("resend reply: must be a JSON object");
        string? stream = null;
        long? from = null, to = null, republished = null;
        List<SeqRange>? unavailable = null;
        while (true)
        {
            r.Read();
            if (r.TokenType == JsonTokenType.EndObject) break;
            string? error;
            long v;
            if (JsonText.EqualsUtf8(in r, "stream"u8) && stream is null) error = CommandJson.ReadStream(ref r, out stream);
            else if (JsonText.EqualsUtf8(in r, "from"u8) && from is null) { error = CommandJson.ReadInteger(ref r, "from", 1, out v); from = v; }
            else if (JsonText.EqualsUtf8(in r, "to"u8) && to is null) { error = CommandJson.ReadInteger(ref r, "to", 1, out v); to = v; }
            else if (JsonText.EqualsUtf8(in r, "republished"u8) && republished is null) { error = CommandJson.ReadInteger(ref r, "republished", 0, out v); republished = v; }
            else if (JsonText.EqualsUtf8(in r, "unavailable"u8) && unavailable is null) error = ReadRanges(ref r, out unavailable);
            else error = $"resend reply: unknown or duplicate member '{CommandJson.MemberText(in r)}'";
            if (error is not null) return Fail(error);
        }
        if (r.Read()) return Fail("resend reply: content after the object");
        if (stream is null) return Fail("stream: required member missing");
        if (from is null) return Fail("from: required member missing");
        if (to is null) return Fail("to: required member missing");
        if (republished is null) return Fail("republished: required member missing");
        if (unavailable is null) return Fail("unavailable: required member missing");
        var reply = new ResendReply(stream, from.Value, to.Value, republished.Value, unavailable);
        return reply.Validate() is { } invalid ? Fail(invalid) : TelemetryResult<ResendReply>.Ok(reply);
    }

    private static string? ReadRanges(ref Utf8JsonReader r, out List<SeqRange>? ranges)
    {
        ranges = null;
        r.Read();
        if (r.TokenType != JsonTokenType.StartArray) return "unavailable: must be an array of [from,to] pairs";
        var list = new List<SeqRange>();
        while (true)
        {
            r.Read();
            if (r.TokenType == JsonTokenType.EndArray) break;
            if (list.Count == MaxUnavailableRanges) return string.Create(CultureInfo.InvariantCulture, $"unavailable: more than {MaxUnavailableRanges} ranges");
            var path = string.Create(CultureInfo.InvariantCulture, $"unavailable[{list.Count}]");
            if (r.TokenType != JsonTokenType.StartArray) return path + ": must be a [from,to] pair";
            if (CommandJson.ReadInteger(ref r, path + "[0]", 1, out var from) is { } e0) return e0;
            if (CommandJson.ReadInteger(ref r, path + "[1]", 1, out var to) is { } e1) return e1;
            r.Read();
            if (r.TokenType != JsonTokenType.EndArray) return path + ": must be a [from,to] pair";
            list.Add(new SeqRange(from, to));
        }
        ranges = list;
        return null;
    }

    private static TelemetryResult<ResendReply> Fail(string error) => TelemetryResult<ResendReply>.Fail(error);
}
