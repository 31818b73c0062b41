using System.Buffers;
using System.Text.Json;
using EquipmentIoT.Protocols.Telemetry.Json;
using NodaTime;

namespace EquipmentIoT.Protocols.Telemetry.State;

/// <summary>
/// Writes <see cref="AgentStateRecord"/> as the JSON of SPEC.md §state:
/// <c>{"v":1,"agent":…,"status":"online",…,"clock":{"utc":…}}</c>. Optional members are omitted when
/// null; <c>lastError</c> members and <c>oldestUnsentAgeSeconds</c> are written as JSON null.
/// </summary>
public static class AgentStateWriter
{
    /// <summary>The state record version.</summary>
    public const int Version = 1;

    /// <summary>Writes <paramref name="state"/> to <paramref name="output"/>.</summary>
    /// <exception cref="ArgumentException">The agent id is not valid or a number is not finite.</exception>
    public static void Write(AgentStateRecord state, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(output);
        if (!TelemetryRules.IsAgentId(state.Agent ?? "")) throw new ArgumentException($"agent: must be {TelemetryRules.AgentIdRule}", nameof(state));
        if (state.Buffer?.OldestUnsentAgeSeconds is { } age && !double.IsFinite(age))
            throw new ArgumentException("buffer.oldestUnsentAgeSeconds: must be finite", nameof(state));

        using var json = new Utf8JsonWriter(output, TelemetryJsonNames.WriterOptions);
        json.WriteStartObject();
        json.WriteNumber("v"u8, Version);
        json.WriteString("agent"u8, state.Agent);
        json.WriteString("status"u8, state.Status == AgentStatus.Offline ? "offline" : "online");
        if (state.Version is not null) json.WriteString("version"u8, state.Version);
        if (state.Started is { } started) WriteTime(json, "started"u8, started);
        WriteTime(json, "at"u8, state.At);
        if (state.UptimeSeconds is { } uptime) json.WriteNumber("uptimeSeconds"u8, uptime);
        if (state.Buffer is { } buffer)
        {
            json.WriteStartObject("buffer"u8);
            json.WriteNumber("unsentBatches"u8, buffer.UnsentBatches);
            json.WriteNumber("unsentBytes"u8, buffer.UnsentBytes);
            if (buffer.OldestUnsentAgeSeconds is { } oldest) json.WriteNumber("oldestUnsentAgeSeconds"u8, oldest);
            else json.WriteNull("oldestUnsentAgeSeconds"u8);
            json.WriteNumber("usedBytes"u8, buffer.UsedBytes);
            json.WriteNumber("maxBytes"u8, buffer.MaxBytes);
            json.WriteString("pressure"u8, buffer.Pressure switch
            {
                BufferPressure.Thinning => "thinning",
                BufferPressure.Full => "full",
                _ => "normal",
            });
            json.WriteEndObject();
        }
        if (state.Dropped is { } dropped)
        {
            json.WriteStartObject("dropped"u8);
            json.WriteNumber("thinnedPoints"u8, dropped.ThinnedPoints);
            json.WriteNumber("droppedPoints"u8, dropped.DroppedPoints);
            json.WriteNumber("droppedBatches"u8, dropped.DroppedBatches);
            json.WriteEndObject();
        }
        if (state.Adapters is { } adapters)
        {
            json.WriteStartArray("adapters"u8);
            foreach (var adapter in adapters)
            {
                json.WriteStartObject();
                json.WriteString("device"u8, adapter.Device);
                json.WriteString("adapter"u8, adapter.Adapter);
                json.WriteString("status"u8, adapter.Status switch
                {
                    AdapterStatus.Degraded => "degraded",
                    AdapterStatus.Down => "down",
                    _ => "ok",
                });
                WriteNullable(json, "lastError"u8, adapter.LastError);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        if (state.Transport is { } transport)
        {
            json.WriteStartObject("transport"u8);
            json.WriteString("kind"u8, transport.Kind);
            json.WriteBoolean("connected"u8, transport.Connected);
            WriteNullable(json, "lastError"u8, transport.LastError);
            json.WriteEndObject();
        }
        WriteNullable(json, "lastError"u8, state.LastError);
        json.WriteStartObject("clock"u8);
        WriteTime(json, "utc"u8, state.ClockUtc ?? state.At);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>The record's JSON as a new array.</summary>
    public static byte[] ToUtf8(AgentStateRecord state)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        Write(state, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// The last will: <paramref name="state"/> with <c>"status":"offline"</c>, for the CONNECT packet.
    /// The broker publishes it (retained) when the agent vanishes; a clean stop publishes it too.
    /// </summary>
    public static byte[] ToUtf8Offline(AgentStateRecord state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return ToUtf8(state with { Status = AgentStatus.Offline });
    }

    private static void WriteTime(Utf8JsonWriter json, ReadOnlySpan<byte> name, Instant instant)
    {
        if (!Rfc3339.InRange(instant)) throw new ArgumentException("timestamps must be within years 0001-9999", nameof(instant));
        Span<byte> text = stackalloc byte[Rfc3339.Length];
        Rfc3339.Write(instant, text);
        json.WriteString(name, text);
    }

    private static void WriteNullable(Utf8JsonWriter json, ReadOnlySpan<byte> name, string? value)
    {
        if (value is null) json.WriteNull(name);
        else json.WriteString(name, value);
    }
}
