using NodaTime;

namespace EquipmentIoT.Protocols.Telemetry.Model;

/// <summary>
/// One batch of envelope v1 (SPEC.md §batch): what one agent collected on one stream, numbered
/// (<see cref="Seq"/>, +1 per batch) and chained to the batch before it (<see cref="Prev"/>).
/// This is the JWS payload; the signature is added by <c>JwsSigner</c>.
/// </summary>
/// <param name="Agent">The agent id.</param>
/// <param name="Stream">The stream name: "metrics" (bulk readings) or "events" (never dropped).</param>
/// <param name="Seq">1 for a stream's first batch, then +1 per batch.</param>
/// <param name="Prev">base64url SHA-256 of the previous batch's JWS compact serialisation; null only when <see cref="Seq"/> is 1.</param>
/// <param name="Created">When the agent closed the batch (UTC).</param>
/// <param name="Metrics">The readings, in collection order.</param>
/// <param name="Events">The events, in collection order.</param>
public sealed record TelemetryBatch(string Agent, string Stream, long Seq, string? Prev, Instant Created,
    IReadOnlyList<MetricPoint> Metrics, IReadOnlyList<TelemetryEvent> Events)
{
    /// <summary>The envelope version this type reads and writes.</summary>
    public const int Version = 1;
}
