using System.Buffers;
using System.Text.Json;
using EquipmentIoT.Protocols.Telemetry.Json;

namespace EquipmentIoT.Protocols.Telemetry.Commands;

/// <summary>
/// The <c>resend</c> command (SPEC.md §commands), cloud → agent on <c>eq/v1/{agentId}/cmd/resend</c>:
/// publish again the batches <see cref="From"/>..<see cref="To"/> of <see cref="Stream"/> that are still
/// on the agent's disk, byte for byte as first signed. JSON: <c>{"stream":"metrics","from":10,"to":20}</c>.
/// </summary>
/// <param name="Stream">"metrics" or "events".</param>
/// <param name="From">First seq wanted (≥ 1).</param>
/// <param name="To">Last seq wanted (≥ <paramref name="From"/>, at most 100,000 batches in all).</param>
public sealed record ResendCommand(string Stream, long From, long To)
{
    /// <summary>The command name, the last level of its topic.</summary>
    public const string Name = "resend";

    /// <summary>The most batches one resend may cover.</summary>
    public const long MaxBatches = CommandJson.MaxResendBatches;

    /// <summary>Null when the command is valid; otherwise why not.</summary>
    public string? Validate() => CommandJson.ValidateRange(Stream, From, To);

    /// <summary>Writes the command's JSON.</summary>
    /// <exception cref="ArgumentException">The command is not valid (see <see cref="Validate"/>).</exception>
    public void WriteTo(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (Validate() is { } error) throw new ArgumentException("cannot write resend command: " + error);
        using var json = CommandJson.CreateWriter(output);
        json.WriteStartObject();
        json.WriteString("stream"u8, Stream);
        json.WriteNumber("from"u8, From);
        json.WriteNumber("to"u8, To);
        json.WriteEndObject();
    }

    /// <summary>The command's JSON as a new array.</summary>
    public byte[] ToUtf8()
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        WriteTo(buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a resend command strictly: exactly the three members, valid range.</summary>
    public static TelemetryResult<ResendCommand> Parse(ReadOnlySpan<byte> utf8Json)
    {
        if (CommandJson.CheckDocument(utf8Json, CommandJson.MaxCommandBytes, "resend") is { } docError) return Fail(docError);
        var reader = new Utf8JsonReader(utf8Json, CommandJson.ReaderOptions);
        try
        {
            return ReadObject(ref reader);
        }
        catch (JsonException)
        {
            return Fail("resend: malformed JSON");
        }
    }

    private static TelemetryResult<ResendCommand> ReadObject(ref Utf8JsonReader r)
    {
        if (!r.Read() || r.TokenType != JsonTokenType.StartObject) return Fail("resend: must be a JSON object");
        string? stream = null;
        long? from = null, to = null;
        while (true)
        {
            r.Read();
            if (r.TokenType == JsonTokenType.EndObject) break;
            string? error;
            if (JsonText.EqualsUtf8(in r, "stream"u8) && stream is null) error = CommandJson.ReadStream(ref r, out stream);
            else if (JsonText.EqualsUtf8(in r, "from"u8) && from is null) { error = CommandJson.ReadInteger(ref r, "from", 1, out var v); from = v; }
            else if (JsonText.EqualsUtf8(in r, "to"u8) && to is null) { error = CommandJson.ReadInteger(ref r, "to", 1, out var v); to = v; }
            else error = $"resend: unknown or duplicate member '{CommandJson.MemberText(in r)}'";
            if (error is not null) return Fail(error);
        }
        if (r.Read()) return Fail("resend: content after the object");
        if (stream is null) return Fail("stream: required member missing");
        if (from is null) return Fail("from: required member missing");
        if (to is null) return Fail("to: required member missing");
        var command = new ResendCommand(stream, from.Value, to.Value);
        return command.Validate() is { } invalid ? Fail(invalid) : TelemetryResult<ResendCommand>.Ok(command);
    }

    private static TelemetryResult<ResendCommand> Fail(string error) => TelemetryResult<ResendCommand>.Fail(error);
}
