namespace EquipmentIoT.Protocols.Telemetry.Model;

/// <summary>How far a reading can be trusted (SPEC.md §metrics, <c>quality</c>); OPC UA's three top-level status classes.</summary>
public enum MetricQuality
{
    /// <summary>Read from the device without problems (the default; omitted on the wire).</summary>
    Good,
    /// <summary>Read, but the device flagged it or the value is stale, clamped or estimated.</summary>
    Uncertain,
    /// <summary>The read failed or the device says the sensor is faulty; the value is not meaningful.</summary>
    Bad,
}
