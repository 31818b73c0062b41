using EquipmentIoT.Protocols.Telemetry.Model;
using NodaTime;

namespace EquipmentIoT.Cloud.Storage;

/// <summary>
/// Time series of metric points (the embedded default is SQLite; InfluxDB follows in its own issue).
/// Writes are idempotent per <see cref="SeriesBatch.BatchId"/>: writing a batch again (a recovery after a
/// crash between the ledger's commit and this store's) changes nothing, rollups included.
/// </summary>
public interface ISeriesStore
{
    /// <summary>Writes the points of accepted batches durably (one transaction / request for the lot).</summary>
    Task WriteAsync(IReadOnlyList<SeriesBatch> batches, CancellationToken cancellationToken);

    /// <summary>
    /// Points of one metric of one device in [From, To). With a step, one aggregated point per step
    /// (buckets aligned to the Unix epoch), read from the 1-minute or 1-hour rollups when the step allows.
    /// </summary>
    Task<IReadOnlyList<SeriesPoint>> QueryAsync(SeriesQuery query, CancellationToken cancellationToken);

    /// <summary>The newest value of every metric of a device (or of every device when null).</summary>
    Task<IReadOnlyList<LatestValue>> LatestAsync(string? device, CancellationToken cancellationToken);

    /// <summary>The metrics known for a device, with their units.</summary>
    Task<IReadOnlyList<SeriesInfo>> SeriesAsync(string? device, CancellationToken cancellationToken);
}

/// <summary>The metric points of one stored batch; <paramref name="BatchId"/> is the ledger's id for it.</summary>
public sealed record SeriesBatch(long BatchId, string Agent, IReadOnlyList<MetricPoint> Points);

/// <summary>How points are combined per step.</summary>
public enum SeriesAggregate
{
    Mean,
    Min,
    Max,
    Sum,
    Count,
    Last,
}

/// <summary>A series query: <paramref name="Step"/> null returns raw points (at most <paramref name="Limit"/>).</summary>
public sealed record SeriesQuery(string Device, string Metric, Instant From, Instant To, Duration? Step = null,
    SeriesAggregate Aggregate = SeriesAggregate.Mean, int Limit = 100_000);

/// <summary>One point of a query result: raw (Count 1) or the aggregate of a step starting at <paramref name="Time"/>.</summary>
/// <param name="Quality">A raw point's quality. Aggregates leave out points of quality Bad and are Good.</param>
public readonly record struct SeriesPoint(Instant Time, double Value, long Count, double Min, double Max, MetricQuality Quality = MetricQuality.Good);

/// <summary>The newest stored value of a metric.</summary>
public sealed record LatestValue(string Device, string Metric, string? Unit, Instant Time, double Value, MetricQuality Quality);

/// <summary>A metric of a device as the series store knows it.</summary>
public sealed record SeriesInfo(string Device, string Metric, string? Unit, Instant First, Instant Last, long Points);
