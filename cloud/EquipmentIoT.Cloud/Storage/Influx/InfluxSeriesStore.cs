using EquipmentIoT.Protocols.LineProtocol;
using EquipmentIoT.Protocols.Telemetry.Model;
using Microsoft.Extensions.Logging;

namespace EquipmentIoT.Cloud.Storage.Influx;

/// <summary>
/// Time series in InfluxDB, schema <see cref="InfluxSchema"/>. A write sends every point of the batches as line
/// protocol (bodies of <see cref="InfluxOptions.BatchPoints"/>, several in flight) and returns once InfluxDB
/// acknowledged them all. Idempotent per batch id because InfluxDB overwrites a point of the same series and
/// timestamp: a batch written again lands on the same keys with the same values, and the rollups recomputed from
/// them come out the same. Rollups are kept by continuous queries for recent points and by this store for late
/// ones (older than the CQ's resample window: it re-runs the rollup SELECT … INTO for exactly their buckets).
/// Queries read the 1-minute or 1-hour rollup where the step and the range allow and raw points elsewhere
/// (<see cref="SeriesQueryPlan"/>); Bad points are stored and returned raw but left out of every aggregate.
/// </summary>
public sealed partial class InfluxSeriesStore : ISeriesStore, IStoreInitializer, IAsyncDisposable
{
    private static readonly LineFieldValue[] QualityValues =
        [LineFieldValue.Integer(0), LineFieldValue.Integer(1), LineFieldValue.Integer(2)];

    // The series key bytes (measurement and escaped tags) of every series written, so that a point costs a copy and three numbers.
    private const int MaxCachedKeys = 200_000;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Agent, string Device, string Metric, string? Unit), byte[]> _keys = new();

    private readonly InfluxClient _client;
    private readonly bool _ownsClient;
    private readonly InfluxOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>A store on <paramref name="client"/> (its options name the database and policies).</summary>
    public InfluxSeriesStore(InfluxClient client, ILogger<InfluxSeriesStore> logger, TimeProvider? time = null, bool ownsClient = false)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(logger);
        _client = client;
        _ownsClient = ownsClient;
        _options = client.Options;
        _logger = logger;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>A store with its own client for <paramref name="options"/>.</summary>
    public static InfluxSeriesStore Create(InfluxOptions options, ILoggerFactory loggers, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(loggers);
#pragma warning disable CA2000 // the store owns the client (ownsClient)
        var client = InfluxClient.Create(options, loggers.CreateLogger<InfluxClient>(), time);
#pragma warning restore CA2000
        return new InfluxSeriesStore(client, loggers.CreateLogger<InfluxSeriesStore>(), time, ownsClient: true);
    }

    /// <summary>The client (for tools and tests that query the schema directly).</summary>
    public InfluxClient Client => _client;

    public async Task WriteAsync(IReadOnlyList<SeriesBatch> batches, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batches);
        if (batches.Count == 0) return;
        var late = new LateBuckets(_time.GetUtcNow().ToUnixTimeMilliseconds());
        var bodies = new InfluxLineBodies(_options.BatchPoints, _options.BatchBytes);
        if (_keys.Count > MaxCachedKeys) _keys.Clear();
        foreach (var batch in batches)
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (var i = 0; i < batch.Points.Count; i++)
            {
                var p = batch.Points[i];
                var time = p.Timestamp.ToUnixTimeMilliseconds();
                var quality = Math.Clamp((int)p.Quality, 0, 2);
                if (!double.IsFinite(p.Value) || !_keys.TryGetValue((batch.Agent, p.Device, p.Name, p.Unit), out var key))
                {
                    // First point of a series (or one InfluxDB would refuse): through the checked writer, which names what is wrong.
                    var point = PointOf(batch, p, time, quality);
                    if (bodies.TryAdd(point) is { } error)
                    {
                        throw new ArgumentException(
                            $"batch {batch.BatchId}, point {i} ({p.Device}/{p.Name} at {p.Timestamp}) cannot be stored in InfluxDB: {error}", nameof(batches));
                    }
                    var seriesKey = InfluxLineBodies.SeriesKeyOf(point, out _);
                    if (seriesKey.Length > 0) _keys.TryAdd((batch.Agent, p.Device, p.Name, p.Unit), seriesKey);
                }
                else
                {
                    bodies.AddPoint(key, InfluxSchema.ValueField, p.Value, InfluxSchema.QualityField, quality, InfluxSchema.BatchField, batch.BatchId, time);
                }
                late.Add(p.Device, p.Name, time);
            }
        }

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = _options.WriteConcurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(bodies.Drain(), parallel,
            async (body, ct) => await _client.WriteAsync(body, _options.RetentionPolicy, ct).ConfigureAwait(false)).ConfigureAwait(false);
        await RollUpLateAsync(late, cancellationToken).ConfigureAwait(false);
    }

    private static LinePoint PointOf(SeriesBatch batch, MetricPoint p, long time, int quality)
    {
        var agent = InfluxTagText.Encode(batch.Agent);
        var device = InfluxTagText.Encode(p.Device);
        var metric = InfluxTagText.Encode(p.Name);
        KeyValuePair<string, string>[] tags = string.IsNullOrEmpty(p.Unit)
            ? [new(InfluxSchema.AgentTag, agent), new(InfluxSchema.DeviceTag, device), new(InfluxSchema.MetricTag, metric)]
            : [new(InfluxSchema.AgentTag, agent), new(InfluxSchema.DeviceTag, device), new(InfluxSchema.MetricTag, metric),
               new(InfluxSchema.UnitTag, InfluxTagText.Encode(p.Unit))];
        KeyValuePair<string, LineFieldValue>[] fields =
        [
            new(InfluxSchema.ValueField, LineFieldValue.Float(p.Value)),
            new(InfluxSchema.QualityField, QualityValues[quality]),
            new(InfluxSchema.BatchField, LineFieldValue.Integer(batch.BatchId)),
        ];
        return new LinePoint(InfluxSchema.Measurement, tags, fields, time, LinePrecision.Milliseconds);
    }

    public async ValueTask DisposeAsync()
    {
        if (_ownsClient) _client.Dispose();
        await ValueTask.CompletedTask.ConfigureAwait(false);
    }
}
