using NodaTime;

namespace EquipmentIoT.Protocols.Telemetry.Model;

/// <summary>One reading of one metric of one device (SPEC.md §metrics).</summary>
/// <param name="Device">The device id from the agent's configuration, e.g. "mr-01".</param>
/// <param name="Name">The metric name from the device profile, e.g. "helium_level".</param>
/// <param name="Unit">UCUM-style unit text, e.g. "%", "Cel", "ppm"; null when dimensionless.</param>
/// <param name="Timestamp">When the device value was read (UTC).</param>
/// <param name="Value">The value; NaN and infinities are not allowed on the wire.</param>
/// <param name="Quality">How far the value can be trusted.</param>
public readonly record struct MetricPoint(string Device, string Name, string? Unit, Instant Timestamp, double Value,
    MetricQuality Quality = MetricQuality.Good);
