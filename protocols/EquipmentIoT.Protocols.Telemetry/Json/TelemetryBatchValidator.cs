using System.Globalization;
using EquipmentIoT.Protocols.Telemetry.Model;

namespace EquipmentIoT.Protocols.Telemetry.Json;

/// <summary>
/// The writer's side of the rules in SPEC.md: the same checks <see cref="TelemetryBatchReader"/> makes,
/// applied to a <see cref="TelemetryBatch"/> before a byte is written, with the same path-naming reasons.
/// </summary>
internal static class TelemetryBatchValidator
{
    public static string? Validate(TelemetryBatch batch, int maxMetrics, int maxEvents)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Agent is null || !TelemetryRules.IsAgentId(batch.Agent)) return $"agent: must be {TelemetryRules.AgentIdRule}";
        if (!TelemetryStreams.IsKnown(batch.Stream)) return "stream: must be \"metrics\" or \"events\"";
        if (batch.Seq is < 1 or > TelemetryLimits.MaxSeq) return "seq: must be an integer from 1 to 2^53-1";
        if (batch.Seq == 1 && batch.Prev is not null) return "prev: must be null when seq is 1";
        if (batch.Seq > 1 && (batch.Prev is null || !TelemetryRules.IsHashText(batch.Prev))) return $"prev: must be {TelemetryRules.HashRule} when seq > 1";
        if (!Rfc3339.InRange(batch.Created)) return "created: outside years 0001-9999";
        if (batch.Metrics is null) return "metrics: must not be null";
        if (batch.Events is null) return "events: must not be null";
        if (batch.Metrics.Count > maxMetrics) return string.Create(CultureInfo.InvariantCulture, $"metrics: {batch.Metrics.Count} points, more than {maxMetrics}");
        if (batch.Events.Count > maxEvents) return string.Create(CultureInfo.InvariantCulture, $"events: {batch.Events.Count} events, more than {maxEvents}");

        // Points of one batch share a handful of device/name/unit strings: remember the last good ones.
        string? goodDevice = null, goodName = null, goodUnit = null;
        for (var i = 0; i < batch.Metrics.Count; i++)
        {
            if (ValidatePoint(batch.Metrics[i], ref goodDevice, ref goodName, ref goodUnit) is { } problem) return At("metrics", i, problem);
        }

        for (var i = 0; i < batch.Events.Count; i++)
        {
            if (ValidateEvent(batch.Events[i], i) is { } error) return error;
        }
        return null;
    }

    /// <summary>What is wrong with one point ("member: problem"), or null; strings equal by reference to the good ones are not checked again.</summary>
    public static string? ValidatePoint(in MetricPoint p, ref string? goodDevice, ref string? goodName, ref string? goodUnit)
    {
        if (!ReferenceEquals(p.Device, goodDevice))
        {
            if (p.Device is null || !TelemetryRules.IsDeviceOrName(p.Device)) return $"device: must be {TelemetryRules.DeviceRule}";
            goodDevice = p.Device;
        }
        if (!ReferenceEquals(p.Name, goodName))
        {
            if (p.Name is null || !TelemetryRules.IsDeviceOrName(p.Name)) return $"name: must be {TelemetryRules.DeviceRule}";
            goodName = p.Name;
        }
        if (p.Unit is not null && !ReferenceEquals(p.Unit, goodUnit))
        {
            if (!TelemetryRules.IsUnit(p.Unit)) return $"unit: must be {TelemetryRules.UnitRule}";
            goodUnit = p.Unit;
        }
        if (!Rfc3339.InRange(p.Timestamp)) return "ts: outside years 0001-9999";
        if (!double.IsFinite(p.Value)) return "value: must be a finite number (JSON has no NaN or Infinity)";
        if (p.Quality is not (MetricQuality.Good or MetricQuality.Uncertain or MetricQuality.Bad)) return "quality: unknown quality";
        return null;
    }

    public static string? ValidateEvent(TelemetryEvent? e, int i)
    {
        if (e is null) return $"events[{i}]: must not be null";
        if (e.Device is null || !TelemetryRules.IsDeviceOrName(e.Device)) return At("events", i, "device", $"must be {TelemetryRules.DeviceRule}");
        if (e.Type is null || !TelemetryRules.IsEventType(e.Type)) return At("events", i, "type", $"must be {TelemetryRules.EventTypeRule}");
        if (!Rfc3339.InRange(e.Timestamp)) return At("events", i, "ts", "outside years 0001-9999");
        if (e.Data is null) return At("events", i, "data", "must not be null");
        if (e.Data.Count > TelemetryLimits.MaxDataEntries) return At("events", i, "data", $"more than {TelemetryLimits.MaxDataEntries} entries");
        foreach (var (key, value) in e.Data)
        {
            if (!TelemetryRules.IsDataKey(key)) return At("events", i, "data", $"key '{Shorten(key)}' is not {TelemetryRules.DataKeyRule}");
            switch (value.Kind)
            {
                case EventValueKind.Text:
                    var text = value.AsString;
                    if (!TelemetryRules.IsWellFormedUtf16(text)) return At("events", i, "data." + key, "is not well-formed UTF-16 (lone surrogate)");
                    if (text.Length * 3 > TelemetryLimits.MaxTextBytes && System.Text.Encoding.UTF8.GetByteCount(text) > TelemetryLimits.MaxTextBytes)
                        return At("events", i, "data." + key, $"longer than {TelemetryLimits.MaxTextBytes} UTF-8 bytes");
                    break;
                case EventValueKind.Number when !double.IsFinite(value.AsNumber):
                    return At("events", i, "data." + key, "must be a finite number");
                case EventValueKind.Number or EventValueKind.Boolean:
                    break;
                default:
                    return At("events", i, "data." + key, "must be a string, a number or a boolean");
            }
        }
        return null;
    }

    internal static string At(string array, int index, string member, string problem) =>
        string.Create(CultureInfo.InvariantCulture, $"{array}[{index}].{member}: {problem}");

    private static string At(string array, int index, string memberAndProblem) =>
        string.Create(CultureInfo.InvariantCulture, $"{array}[{index}].{memberAndProblem}");

    internal static string Shorten(string s) => s.Length <= 40 ? s : string.Concat(s.AsSpan(0, 40), "…");
}
