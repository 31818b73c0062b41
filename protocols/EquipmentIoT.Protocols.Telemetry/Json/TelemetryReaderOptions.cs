namespace EquipmentIoT.Protocols.Telemetry.Json;

/// <summary>Ceilings <see cref="TelemetryBatchReader"/> enforces before it allocates (SPEC.md §limits).</summary>
public sealed class TelemetryReaderOptions
{
    /// <summary>The defaults: 100,000 points, 10,000 events, 1 MiB of payload.</summary>
    public static TelemetryReaderOptions Default { get; } = new();

    /// <summary>Most metric points in one batch; more is refused.</summary>
    public int MaxMetrics { get; init; } = TelemetryLimits.DefaultMaxMetrics;

    /// <summary>Most events in one batch; more is refused.</summary>
    public int MaxEvents { get; init; } = TelemetryLimits.DefaultMaxEvents;

    /// <summary>Largest payload in bytes; a larger one is refused before it is parsed.</summary>
    public int MaxPayloadBytes { get; init; } = TelemetryLimits.DefaultMaxCompactBytes;
}
