using System.Runtime.InteropServices;
using EquipmentIoT.Protocols.Telemetry.Model;
using Microsoft.Data.Sqlite;
using NodaTime;

namespace EquipmentIoT.Cloud.Storage.Sqlite;

public sealed partial class SqliteSeriesStore
{
    public async Task<IReadOnlyList<SeriesPoint>> QueryAsync(SeriesQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Limit);
        if (query.Step is { } s && s <= Duration.Zero) throw new ArgumentOutOfRangeException(nameof(query), s, "the step must be positive");
        var from = UnixMillis.From(query.From);
        var to = UnixMillis.From(query.To);
        if (from >= to) return [];

        await using var connection = await ReaderAsync(cancellationToken).ConfigureAwait(false);
        // One read transaction: the chunks and the rollups are seen at the same commit.
        await using var transaction = connection.BeginTransaction(deferred: true);
        if (await FindSeriesAsync(connection, transaction, query.Device, query.Metric, cancellationToken).ConfigureAwait(false) is not { } series)
            return [];
        var (id, maxSpan) = series;
        return query.Step is { } step
            ? await AggregateAsync(connection, transaction, id, maxSpan, from, to, (long)step.TotalMilliseconds, query, cancellationToken).ConfigureAwait(false)
            : await RawAsync(connection, transaction, id, maxSpan, from, to, query.Limit, cancellationToken).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<LatestValue>> LatestAsync(string? device, CancellationToken cancellationToken) =>
        SeriesRowsAsync("last_time, latest_value, latest_quality", device, r => new LatestValue(r.GetString(0), r.GetString(1), r.GetStringOrNull(2),
            UnixMillis.ToInstant(r.GetInt64(3)), r.GetDouble(4), (MetricQuality)r.GetInt32(5)), cancellationToken);

    public Task<IReadOnlyList<SeriesInfo>> SeriesAsync(string? device, CancellationToken cancellationToken) =>
        SeriesRowsAsync("first_time, last_time, points", device, r => new SeriesInfo(r.GetString(0), r.GetString(1), r.GetStringOrNull(2),
            UnixMillis.ToInstant(r.GetInt64(3)), UnixMillis.ToInstant(r.GetInt64(4)), r.GetInt64(5)), cancellationToken);

    /// <summary>Series with points (of <paramref name="device"/>, or all), by device and metric: device, metric, unit, then <paramref name="columns"/>.</summary>
    private async Task<IReadOnlyList<T>> SeriesRowsAsync<T>(string columns, string? device, Func<SqliteDataReader, T> map, CancellationToken cancellationToken)
    {
        await using var connection = await ReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var command = SqliteCommands.Create(connection,
            $"SELECT device, metric, unit, {columns} FROM series WHERE points > 0 AND ($device IS NULL OR device = $device) ORDER BY device, metric",
            "$device").Bind(null, device);
        return await command.ReadAllAsync(map, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<(long Id, long MaxSpan)?> FindSeriesAsync(SqliteConnection connection, SqliteTransaction transaction, string device,
        string metric, CancellationToken cancellationToken)
    {
        await using var command = SqliteCommands.Create(connection, "SELECT id, max_span FROM series WHERE device = $device AND metric = $metric",
            "$device", "$metric").Bind(transaction, device, metric);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? (reader.GetInt64(0), reader.GetInt64(1)) : null;
    }

    /// <summary>Raw points in [from, to) by time, at most <paramref name="limit"/>; Bad points included, with their quality.</summary>
    private static async Task<IReadOnlyList<SeriesPoint>> RawAsync(SqliteConnection connection, SqliteTransaction transaction, long seriesId, long maxSpan,
        long from, long to, int limit, CancellationToken cancellationToken)
    {
        var points = new List<ChunkPoint>();
        var decoded = new List<ChunkPoint>();
        // Chunks come by start time; once `limit` points are held, a chunk starting after the limit-th time cannot contribute.
        var threshold = long.MaxValue;
        await foreach (var chunk in ChunksAsync(connection, transaction, seriesId, maxSpan, from, to, cancellationToken).ConfigureAwait(false))
        {
            if (chunk.Start > threshold) break;
            decoded.Clear();
            SeriesChunkCodec.Decode(chunk.Data, chunk.Start, chunk.Count, decoded);
            foreach (var p in decoded)
            {
                if (p.Time >= from && p.Time < to) points.Add(p);
            }
            if (points.Count >= limit)
            {
                SortByTime(points);
                points.RemoveRange(limit, points.Count - limit);
                threshold = points[^1].Time;
            }
        }
        SortByTime(points);
        var result = new SeriesPoint[Math.Min(limit, points.Count)];
        for (var i = 0; i < result.Length; i++)
        {
            var p = points[i];
            result[i] = new SeriesPoint(UnixMillis.ToInstant(p.Time), p.Value, 1, p.Value, p.Value, p.Quality);
        }
        return result;
    }

    private static async Task<IReadOnlyList<SeriesPoint>> AggregateAsync(SqliteConnection connection, SqliteTransaction transaction, long seriesId,
        long maxSpan, long from, long to, long step, SeriesQuery query, CancellationToken cancellationToken)
    {
        var buckets = new Dictionary<long, Rollup>();
        var decoded = new List<ChunkPoint>();
        foreach (var segment in SeriesQueryPlan.Plan(from, to, step))
        {
            if (segment.Tier == SeriesTier.Raw)
            {
                await foreach (var chunk in ChunksAsync(connection, transaction, seriesId, maxSpan, segment.From, segment.To, cancellationToken).ConfigureAwait(false))
                {
                    decoded.Clear();
                    SeriesChunkCodec.Decode(chunk.Data, chunk.Start, chunk.Count, decoded);
                    foreach (var p in decoded)
                    {
                        if (p.Time < segment.From || p.Time >= segment.To || p.Quality == MetricQuality.Bad) continue;
                        CollectionsMarshal.GetValueRefOrAddDefault(buckets, UnixMillis.FloorTo(p.Time, step), out _).Add(p.Time, p.Value);
                    }
                }
                continue;
            }

            // SQLite folds the tier's rows into the query's steps (a year at a 1-day step: 8,760 hourly rows in, 366 out); with
            // MAX(last_time), the bare last_value is taken from the row holding it (SQLite's documented min/max rule).
            var table = segment.Tier == SeriesTier.Hour ? "rollup_1h" : "rollup_1m";
            await using var command = SqliteCommands.Create(connection,
                $"SELECT bucket - ((bucket % $step) + $step) % $step AS start, SUM(n), SUM(total), MIN(low), MAX(high), last_value, MAX(last_time) " +
                $"FROM {table} WHERE series_id = $series AND bucket >= $from AND bucket < $to GROUP BY start",
                "$series", "$from", "$to", "$step").Bind(transaction, seriesId, segment.From, segment.To, step);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var row = Rollup.Of(reader.GetInt64(1), reader.GetDouble(2), reader.GetDouble(3), reader.GetDouble(4), reader.GetDouble(5), reader.GetInt64(6));
                CollectionsMarshal.GetValueRefOrAddDefault(buckets, UnixMillis.FloorTo(reader.GetInt64(0), step), out _).Merge(row);
            }
        }

        var starts = buckets.Keys.ToArray();
        Array.Sort(starts);
        var result = new SeriesPoint[Math.Min(query.Limit, starts.Length)];
        for (var i = 0; i < result.Length; i++)
        {
            var r = buckets[starts[i]];
            result[i] = new SeriesPoint(UnixMillis.ToInstant(starts[i]), r.Value(query.Aggregate), r.Count, r.Min, r.Max);
        }
        return result;
    }

    private readonly record struct Chunk(long Start, long Count, byte[] Data);

    /// <summary>Chunks that may hold points in [from, to), by start time (a chunk spans at most <paramref name="maxSpan"/>).</summary>
    private static async IAsyncEnumerable<Chunk> ChunksAsync(SqliteConnection connection, SqliteTransaction transaction, long seriesId, long maxSpan,
        long from, long to, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = SqliteCommands.Create(connection, """
            SELECT start_time, count, data FROM chunks
            WHERE series_id = $series AND start_time >= $low AND start_time < $to AND end_time >= $from ORDER BY start_time
            """, "$series", "$low", "$to", "$from").Bind(transaction, seriesId, from - maxSpan, to, from);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            yield return new Chunk(reader.GetInt64(0), reader.GetInt64(1), (byte[])reader.GetValue(2));
    }

    private static void SortByTime(List<ChunkPoint> points) => points.Sort(static (a, b) => a.Time.CompareTo(b.Time));
}
