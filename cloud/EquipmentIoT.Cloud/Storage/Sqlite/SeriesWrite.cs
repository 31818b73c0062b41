using System.Runtime.InteropServices;
using EquipmentIoT.Protocols.Telemetry.Model;

namespace EquipmentIoT.Cloud.Storage.Sqlite;

/// <summary>
/// The work of one series write transaction: one chunk per (batch, series), and the rollup and series changes
/// of all the chunks gathered in memory and upserted once per (series, bucket) at the end, so that a group of
/// batches costs one row per bucket touched rather than one per point. Only batches not written before
/// contribute: the written_batches row is the idempotency key.
/// </summary>
internal sealed class SeriesWrite(SeriesCommands commands, Dictionary<SeriesKey, SeriesSlot> slots)
{
    private readonly Dictionary<InstancePair, SeriesSlot> _byInstance = [];
    private readonly List<SeriesSlot> _touched = [];
    private readonly List<SeriesSlot> _learnt = [];
    private readonly Dictionary<long, SeriesDelta> _deltas = [];
    private readonly Dictionary<(long Series, long Bucket), Rollup> _minutes = [];
    private readonly Dictionary<(long Series, long Bucket), Rollup> _hours = [];
    private byte[] _scratch = new byte[4096];

    /// <summary>Gathers a batch's chunks; false when the batch was written before (nothing changes).</summary>
    public async Task<bool> WriteAsync(SeriesBatch batch, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!commands.MarkWritten(batch.BatchId, batch.Agent, batch.Points.Count)) return false;
        GroupBySeries(batch.Points);
        foreach (var slot in _touched)
        {
            if (slot.Id == 0 && slot.PendingId == 0)
            {
                slot.PendingId = await commands.SeriesIdAsync(slot.Key.Device, slot.Key.Metric, slot.Unit, cancellationToken).ConfigureAwait(false);
                _learnt.Add(slot);
            }
            AddChunk(slot, batch.BatchId);
        }
        ForgetPoints();
        return true;
    }

    /// <summary>Writes the gathered rollups and series changes.</summary>
    public void Complete()
    {
        foreach (var ((series, bucket), rollup) in _minutes) commands.UpsertRollup(SeriesTier.Minute, series, bucket, rollup);
        foreach (var ((series, bucket), rollup) in _hours) commands.UpsertRollup(SeriesTier.Hour, series, bucket, rollup);
        foreach (var (series, delta) in _deltas) commands.UpdateSeries(series, delta);
    }

    /// <summary>After the commit: the ids learnt are the series' ids. After a failure (<paramref name="committed"/> false): they are forgotten.</summary>
    public void Settle(bool committed)
    {
        ForgetPoints();
        foreach (var slot in _learnt)
        {
            if (committed) slot.Id = slot.PendingId;
            slot.PendingId = 0;
        }
        _learnt.Clear();
    }

    /// <summary>Empties the slots the last batch filled (slots outlive this transaction).</summary>
    private void ForgetPoints()
    {
        foreach (var slot in _touched) slot.Points.Clear();
        _touched.Clear();
    }

    private void GroupBySeries(IReadOnlyList<MetricPoint> points)
    {
        _byInstance.Clear();
        foreach (var p in points)
        {
            // By reference first; by content (hashing both strings) once per pair of instances and batch.
            ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_byInstance, new InstancePair(p.Device, p.Name), out var seen);
            if (!seen)
            {
                var key = new SeriesKey(p.Device, p.Name);
                ref var known = ref CollectionsMarshal.GetValueRefOrAddDefault(slots, key, out _);
                known ??= new SeriesSlot(key);
                if (known.Points.Count == 0) _touched.Add(known);
                slot = known;
            }
            slot!.Points.Add(new ChunkPoint(UnixMillis.From(p.Timestamp), p.Value, p.Quality));
            slot.Unit = p.Unit;
        }
    }

    /// <summary>
    /// Encodes one series' points of a batch as a chunk and gathers its rollups. Rollups hold only points whose
    /// quality is not Bad: a failed read's value means nothing, and a mean or a max must not include it. The
    /// chunk keeps it (raw queries return it with its quality), and the series' point count and latest value
    /// include it.
    /// </summary>
    private void AddChunk(SeriesSlot slot, long batchId)
    {
        var seriesId = slot.Id != 0 ? slot.Id : slot.PendingId;
        var points = CollectionsMarshal.AsSpan(slot.Points);
        long start = long.MaxValue, end = long.MinValue;
        foreach (var p in points)
        {
            start = Math.Min(start, p.Time);
            end = Math.Max(end, p.Time);
        }
        if (_scratch.Length < SeriesChunkCodec.MaxLength(points.Length)) _scratch = new byte[SeriesChunkCodec.MaxLength(points.Length)];
        var length = SeriesChunkCodec.Encode(points, start, _scratch);
        commands.InsertChunk(seriesId, batchId, start, end, points.Length, _scratch.AsSpan(0, length));

        ref var delta = ref CollectionsMarshal.GetValueRefOrAddDefault(_deltas, seriesId, out _);
        delta ??= new SeriesDelta();
        delta.MaxSpan = Math.Max(delta.MaxSpan, end - start);
        // Consecutive points mostly share their minute: gather a run locally, merge it into the dictionaries when the minute changes.
        var minute = new Rollup();
        var hour = new Rollup();
        long minuteBucket = long.MinValue, hourBucket = long.MinValue;
        foreach (var p in points)
        {
            delta.Add(p, slot.Unit);
            if (p.Quality == MetricQuality.Bad) continue;
            var m = UnixMillis.FloorTo(p.Time, SeriesQueryPlan.Minute);
            if (m != minuteBucket)
            {
                Merge(_minutes, seriesId, minuteBucket, minute);
                minute = new Rollup();
                minuteBucket = m;
                var h = UnixMillis.FloorTo(p.Time, SeriesQueryPlan.Hour);
                if (h != hourBucket)
                {
                    Merge(_hours, seriesId, hourBucket, hour);
                    hour = new Rollup();
                    hourBucket = h;
                }
            }
            minute.Add(p.Time, p.Value);
            hour.Add(p.Time, p.Value);
        }
        Merge(_minutes, seriesId, minuteBucket, minute);
        Merge(_hours, seriesId, hourBucket, hour);
    }

    private static void Merge(Dictionary<(long, long), Rollup> rollups, long seriesId, long bucket, in Rollup run)
    {
        if (run.Count == 0) return;
        CollectionsMarshal.GetValueRefOrAddDefault(rollups, (seriesId, bucket), out _).Merge(run);
    }
}
