using System.Buffers;
using System.Text.Json;
using EquipmentIoT.Protocols.Telemetry.Model;
using NodaTime;
using static EquipmentIoT.Protocols.Telemetry.Json.TelemetryJsonNames;

namespace EquipmentIoT.Protocols.Telemetry.Json;

/// <summary>
/// Writes a <see cref="TelemetryBatch"/> as the UTF-8 JSON payload of SPEC.md §batch: compact, members
/// in the order of the spec, timestamps as <c>yyyy-MM-ddTHH:mm:ss.fffZ</c> (sub-millisecond digits are
/// truncated), numbers in shortest round-trip form, <c>unit</c> omitted when null and <c>quality</c>
/// omitted when good. The batch is checked against the same rules as <see cref="TelemetryBatchReader"/>
/// first, so nothing written here is refused there. Thread-safe; one cached <see cref="Utf8JsonWriter"/>
/// per thread.
/// </summary>
public static class TelemetryBatchWriter
{
    [ThreadStatic]
    private static Utf8JsonWriter? cachedWriter;

    /// <summary>Checks <paramref name="batch"/> against SPEC.md §limits with the default ceilings.</summary>
    /// <returns>Null when it can be written; otherwise the reason, naming the JSON path (e.g. <c>metrics[3].value: must be a finite number …</c>).</returns>
    public static string? Validate(TelemetryBatch batch) =>
        TelemetryBatchValidator.Validate(batch, TelemetryLimits.DefaultMaxMetrics, TelemetryLimits.DefaultMaxEvents);

    /// <summary>
    /// Checks one reading against the rules a batch's points must follow (SPEC.md), so a producer can refuse it
    /// before it can spoil a batch; null when it is fine, else "member: problem".
    /// </summary>
    public static string? ValidatePoint(in MetricPoint point)
    {
        string? device = null, name = null, unit = null;
        return ValidatePoint(point, ref device, ref name, ref unit);
    }

    /// <summary>
    /// Like <see cref="ValidatePoint(in MetricPoint)"/>, for a producer checking many points: device, name and unit
    /// strings that are the same instances as the last good ones (kept in the refs) are not checked again.
    /// </summary>
    public static string? ValidatePoint(in MetricPoint point, ref string? goodDevice, ref string? goodName, ref string? goodUnit) =>
        TelemetryBatchValidator.ValidatePoint(point, ref goodDevice, ref goodName, ref goodUnit);

    /// <summary>Checks one event against the rules a batch's events must follow; null when it is fine.</summary>
    public static string? ValidateEvent(TelemetryEvent telemetryEvent)
    {
        var problem = TelemetryBatchValidator.ValidateEvent(telemetryEvent, 0);
        return problem is null ? null : problem.StartsWith("events[0].", StringComparison.Ordinal) ? problem["events[0].".Length..] : problem;
    }

    /// <summary>Writes <paramref name="batch"/> to <paramref name="output"/>; returns the number of bytes written.</summary>
    /// <exception cref="ArgumentException">The batch breaks a rule (see <see cref="Validate"/>); nothing was written.</exception>
    public static int Write(TelemetryBatch batch, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (Validate(batch) is { } error) throw new ArgumentException("cannot write telemetry batch: " + error, nameof(batch));
        var json = cachedWriter;
        if (json is null)
        {
            json = new Utf8JsonWriter(output, WriterOptions);
            cachedWriter = json;
        }
        else
        {
            json.Reset(output);
        }

        try
        {
            WriteBatch(json, batch);
            json.Flush();
            return (int)json.BytesCommitted;
        }
        finally
        {
            // Do not keep the caller's buffer reachable from the thread.
            json.Reset();
        }
    }

    /// <summary>Writes <paramref name="batch"/> into a new array.</summary>
    /// <exception cref="ArgumentException">The batch breaks a rule (see <see cref="Validate"/>).</exception>
    public static byte[] ToUtf8(TelemetryBatch batch)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + 96 * (batch?.Metrics?.Count ?? 0));
        Write(batch!, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteBatch(Utf8JsonWriter json, TelemetryBatch batch)
    {
        json.WriteStartObject();
        json.WriteNumber(V, TelemetryBatch.Version);
        json.WriteString(Agent, batch.Agent);
        json.WriteString(TelemetryJsonNames.Stream, batch.Stream);
        json.WriteNumber(Seq, batch.Seq);
        if (batch.Prev is null) json.WriteNull(Prev);
        else json.WriteString(Prev, batch.Prev);
        WriteTimestamp(json, Created, batch.Created);

        json.WriteStartArray(Metrics);
        var metrics = batch.Metrics;
        for (var i = 0; i < metrics.Count; i++)
        {
            var p = metrics[i];
            json.WriteStartObject();
            json.WriteString(Device, p.Device);
            json.WriteString(Name, p.Name);
            if (p.Unit is not null) json.WriteString(Unit, p.Unit);
            WriteTimestamp(json, Ts, p.Timestamp);
            json.WriteNumber(Value, p.Value);
            if (p.Quality != MetricQuality.Good) json.WriteString(Quality, QualityText(p.Quality));
            json.WriteEndObject();
        }
        json.WriteEndArray();

        json.WriteStartArray(Events);
        foreach (var e in batch.Events)
        {
            json.WriteStartObject();
            json.WriteString(Device, e.Device);
            json.WriteString(TelemetryJsonNames.Type, e.Type);
            WriteTimestamp(json, Ts, e.Timestamp);
            json.WriteStartObject(Data);
            foreach (var (key, value) in e.Data)
            {
                switch (value.Kind)
                {
                    case EventValueKind.Text: json.WriteString(key, value.AsString); break;
                    case EventValueKind.Number: json.WriteNumber(key, value.AsNumber); break;
                    default: json.WriteBoolean(key, value.AsBoolean); break;
                }
            }
            json.WriteEndObject();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteTimestamp(Utf8JsonWriter json, JsonEncodedText name, Instant instant)
    {
        Span<byte> text = stackalloc byte[Rfc3339.Length];
        Rfc3339.Write(instant, text);
        json.WriteString(name, text);
    }

    internal static string QualityText(MetricQuality quality) => quality switch
    {
        MetricQuality.Uncertain => "uncertain",
        MetricQuality.Bad => "bad",
        _ => "good",
    };
}
