using Microsoft.Data.Sqlite;

namespace EquipmentIoT.Cloud.Storage.Sqlite;

/// <summary>What one write transaction changes in a series row.</summary>
internal sealed class SeriesDelta
{
    public long First = long.MaxValue;
    public long Last = long.MinValue;
    public long Points;
    public long MaxSpan;
    public double LatestValue;
    public int LatestQuality;
    public string? Unit;

    public void Add(ChunkPoint point, string? unit)
    {
        Points++;
        if (point.Time < First) First = point.Time;
        if (point.Time >= Last)
        {
            Last = point.Time;
            LatestValue = point.Value;
            LatestQuality = (int)point.Quality;
            Unit = unit;
        }
    }
}

/// <summary>The series writer's statements, prepared once on its connection. Guarded by the store's write lock.</summary>
internal sealed class SeriesCommands : IPreparedCommands
{
    private static string RollupUpsert(string table) => $$"""
        INSERT INTO {{table}} (series_id, bucket, n, total, low, high, last_value, last_time) VALUES ($series, $bucket, $n, $total, $low, $high, $last, $lastTime)
        ON CONFLICT (series_id, bucket) DO UPDATE SET
            n = n + excluded.n,
            total = total + excluded.total,
            low = MIN(low, excluded.low),
            high = MAX(high, excluded.high),
            last_value = CASE WHEN excluded.last_time >= last_time THEN excluded.last_value ELSE last_value END,
            last_time = MAX(last_time, excluded.last_time)
        """;

    private static readonly string[] RollupParameters = ["$series", "$bucket", "$n", "$total", "$low", "$high", "$last", "$lastTime"];

    private readonly SqliteCommand _markWritten;
    private readonly SqliteCommand _insertSeries;
    private readonly SqliteCommand _findSeries;
    private readonly SqliteCommand _insertChunk;
    private readonly SqliteCommand _upsertMinute;
    private readonly SqliteCommand _upsertHour;
    private readonly SqliteCommand _updateSeries;
    private SqliteTransaction? _transaction;

    public SeriesCommands(SqliteConnection connection)
    {
        Connection = connection;
        _markWritten = SqliteCommands.Create(connection,
            "INSERT INTO written_batches (batch_id, agent, points) VALUES ($batch, $agent, $points) ON CONFLICT (batch_id) DO NOTHING",
            "$batch", "$agent", "$points");
        _insertSeries = SqliteCommands.Create(connection,
            "INSERT INTO series (device, metric, unit) VALUES ($device, $metric, $unit) ON CONFLICT (device, metric) DO NOTHING",
            "$device", "$metric", "$unit");
        _findSeries = SqliteCommands.Create(connection, "SELECT id FROM series WHERE device = $device AND metric = $metric", "$device", "$metric");
        _insertChunk = SqliteCommands.Create(connection,
            "INSERT INTO chunks (series_id, start_time, batch_id, end_time, count, data) VALUES ($series, $start, $batch, $end, $count, $data)",
            "$series", "$start", "$batch", "$end", "$count", "$data");
        _upsertMinute = SqliteCommands.Create(connection, RollupUpsert("rollup_1m"), RollupParameters);
        _upsertHour = SqliteCommands.Create(connection, RollupUpsert("rollup_1h"), RollupParameters);
        _updateSeries = SqliteCommands.Create(connection, """
            UPDATE series SET
                first_time = MIN(COALESCE(first_time, $first), $first),
                unit = CASE WHEN last_time IS NULL OR $last >= last_time THEN $unit ELSE unit END,
                latest_value = CASE WHEN last_time IS NULL OR $last >= last_time THEN $value ELSE latest_value END,
                latest_quality = CASE WHEN last_time IS NULL OR $last >= last_time THEN $quality ELSE latest_quality END,
                last_time = MAX(COALESCE(last_time, $last), $last),
                points = points + $points,
                max_span = MAX(max_span, $span)
            WHERE id = $id
            """, "$id", "$first", "$last", "$unit", "$value", "$quality", "$points", "$span");
    }

    public SqliteConnection Connection { get; }

    public void Use(SqliteTransaction transaction) => _transaction = transaction;

    /// <summary>Records the batch as written; false when it already was (then nothing else may be written for it).</summary>
    public async Task<bool> MarkWrittenAsync(long batchId, string agent, int points, CancellationToken cancellationToken) =>
        await _markWritten.Bind(_transaction, batchId, agent, points).ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;

    public async Task<long> SeriesIdAsync(string device, string metric, string? unit, CancellationToken cancellationToken)
    {
        await _insertSeries.Bind(_transaction, device, metric, unit).ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return (long)(await _findSeries.Bind(_transaction, device, metric).ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    public async Task InsertChunkAsync(long seriesId, long start, long batchId, long end, int count, byte[] data, CancellationToken cancellationToken) =>
        await _insertChunk.Bind(_transaction, seriesId, start, batchId, end, count, data).ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);

    public async Task UpsertRollupAsync(SeriesTier tier, long seriesId, long bucket, Rollup r, CancellationToken cancellationToken) =>
        await (tier == SeriesTier.Hour ? _upsertHour : _upsertMinute)
            .Bind(_transaction, seriesId, bucket, r.Count, r.Sum, r.Min, r.Max, r.Last, r.LastTime)
            .ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);

    public async Task UpdateSeriesAsync(long seriesId, SeriesDelta d, CancellationToken cancellationToken) =>
        await _updateSeries.Bind(_transaction, seriesId, d.First, d.Last, d.Unit, d.LatestValue, d.LatestQuality, d.Points, d.MaxSpan)
            .ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        SqliteCommand[] all = [_markWritten, _insertSeries, _findSeries, _insertChunk, _upsertMinute, _upsertHour, _updateSeries];
        foreach (var command in all) await command.DisposeAsync().ConfigureAwait(false);
    }
}
