using System.Runtime.InteropServices;
using EquipmentIoT.Protocols.Telemetry.Model;

namespace EquipmentIoT.Cloud.Storage.Sqlite;

/// <summary>A series by its names.</summary>
internal readonly record struct SeriesKey(string Device, string Metric);

/// <summary>
/// The work of one series write transaction: one chunk per (batch, series), and the rollup and series changes
/// of all the chunks gathered in memory and upserted once per (series, bucket) at the end, so that a group of
/// batches costs one statement per bucket touched rather than one per point. Only batches not written before
/// contribute: the written_batches row is the idempotency key.
/// </summary>
internal sealed class SeriesWrite(SeriesCommands commands, IReadOnlyDictionary<SeriesKey, long> knownSeries)
{
    private readonly Dictionary<SeriesKey, long> _newSeries = [];
    private readonly Dictionary<SeriesKey, List<ChunkPoint>> _groups = [];
    private readonly Dictionary<SeriesKey, string?> _units = [];
    private readonly List<SeriesKey> _touched = [];
    private readonly Dictionary<long, SeriesDelta> _deltas = [];
    private readonly Dictionary<(long Series, long Bucket), Rollup> _minutes = [];
    private readonly Dictionary<(long Series, long Bucket), Rollup> _hours = [];

    /// <summary>Series created by this transaction: the store learns their ids once it commits.</summary>
    public IReadOnlyDictionary<SeriesKey, long> NewSeries => _newSeries;

    /// <summary>Writes a batch's chunks; false when the batch was written before (nothing changes).</summary>
    public async Task<bool> WriteAsync(SeriesBatch batch, CancellationToken cancellationToken)
    {
        if (!await commands.MarkWrittenAsync(batch.BatchId, batch.Agent, batch.Points.Count, cancellationToken).ConfigureAwait(false)) return false;
        GroupBySeries(batch.Points);
        foreach (var key in _touched)
        {
            var unit = _units[key];
            var id = await SeriesIdAsync(key, unit, cancellationToken).ConfigureAwait(false);
            var (start, end, data) = Encode(_groups[key]);
            await commands.InsertChunkAsync(id, start, batch.BatchId, end, _groups[key].Count, data, cancellationToken).ConfigureAwait(false);
            Gather(id, unit, start, end, CollectionsMarshal.AsSpan(_groups[key]));
        }
        return true;
    }

    /// <summary>Upserts the gathered rollups and series changes.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        foreach (var ((series, bucket), rollup) in _minutes)
            await commands.UpsertRollupAsync(SeriesTier.Minute, series, bucket, rollup, cancellationToken).ConfigureAwait(false);
        foreach (var ((series, bucket), rollup) in _hours)
            await commands.UpsertRollupAsync(SeriesTier.Hour, series, bucket, rollup, cancellationToken).ConfigureAwait(false);
        foreach (var (series, delta) in _deltas) await commands.UpdateSeriesAsync(series, delta, cancellationToken).ConfigureAwait(false);
    }

    private static (long Start, long End, byte[] Data) Encode(List<ChunkPoint> group)
    {
        var points = CollectionsMarshal.AsSpan(group);
        long start = long.MaxValue, end = long.MinValue;
        foreach (var p in points)
        {
            start = Math.Min(start, p.Time);
            end = Math.Max(end, p.Time);
        }
        return (start, end, SeriesChunkCodec.Encode(points, start));
    }

    private void GroupBySeries(IReadOnlyList<MetricPoint> points)
    {
        foreach (var key in _touched) _groups[key].Clear();
        _touched.Clear();
        foreach (var p in points)
        {
            var key = new SeriesKey(p.Device, p.Name);
            ref var group = ref CollectionsMarshal.GetValueRefOrAddDefault(_groups, key, out _);
            group ??= [];
            if (group.Count == 0) _touched.Add(key);
            group.Add(new ChunkPoint(UnixMillis.From(p.Timestamp), p.Value, p.Quality));
            _units[key] = p.Unit;
        }
    }

    /// <summary>
    /// Rollups hold only points whose quality is not Bad: a failed read's value means nothing, and a mean
    /// or a max must not include it. The chunk keeps it (raw queries return it with its quality), and the
    /// series' point count and latest value include it.
    /// </summary>
    private void Gather(long seriesId, string? unit, long start, long end, ReadOnlySpan<ChunkPoint> points)
    {
        ref var delta = ref CollectionsMarshal.GetValueRefOrAddDefault(_deltas, seriesId, out _);
        delta ??= new SeriesDelta();
        delta.MaxSpan = Math.Max(delta.MaxSpan, end - start);
        foreach (var p in points)
        {
            delta.Add(p, unit);
            if (p.Quality == MetricQuality.Bad) continue;
            CollectionsMarshal.GetValueRefOrAddDefault(_minutes, (seriesId, UnixMillis.FloorTo(p.Time, SeriesQueryPlan.Minute)), out _).Add(p.Time, p.Value);
            CollectionsMarshal.GetValueRefOrAddDefault(_hours, (seriesId, UnixMillis.FloorTo(p.Time, SeriesQueryPlan.Hour)), out _).Add(p.Time, p.Value);
        }
    }

    private async Task<long> SeriesIdAsync(SeriesKey key, string? unit, CancellationToken cancellationToken)
    {
        if (knownSeries.TryGetValue(key, out var id) || _newSeries.TryGetValue(key, out id)) return id;
        id = await commands.SeriesIdAsync(key.Device, key.Metric, unit, cancellationToken).ConfigureAwait(false);
        _newSeries[key] = id;
        return id;
    }
}
