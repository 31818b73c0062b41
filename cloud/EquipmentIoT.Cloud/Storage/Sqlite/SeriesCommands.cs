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

/// <summary>
/// The series writer's statements, prepared once on its connection: the hot rows (written marks, chunks,
/// rollups, series changes) as <see cref="RawStatement"/>s, the rare series creation through ADO.NET. Guarded
/// by the store's write lock.
/// </summary>
internal sealed class SeriesCommands : IPreparedCommands
{
    private const string RollupUpsert = """
        (series_id, bucket, n, total, low, high, last_value, last_time) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
        ON CONFLICT (series_id, bucket) DO UPDATE SET
            n = n + excluded.n,
            total = total + excluded.total,
            low = MIN(low, excluded.low),
            high = MAX(high, excluded.high),
            last_value = CASE WHEN excluded.last_time >= last_time THEN excluded.last_value ELSE last_value END,
            last_time = MAX(last_time, excluded.last_time)
        """;

    private readonly RawStatement _markWritten;
    private readonly RawStatement _insertChunk;
    private readonly RawStatement _upsertMinute;
    private readonly RawStatement _upsertHour;
    private readonly RawStatement _updateSeries;
    private readonly SqliteCommand _insertSeries;
    private readonly SqliteCommand _findSeries;
    private SqliteTransaction? _transaction;

    public SeriesCommands(SqliteConnection connection)
    {
        _markWritten = new RawStatement(connection, "INSERT INTO written_batches (batch_id, agent, points) VALUES (?1, ?2, ?3) ON CONFLICT (batch_id) DO NOTHING");
        _insertChunk = new RawStatement(connection,
            "INSERT INTO chunks (series_id, batch_id, start_time, end_time, count, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
        _upsertMinute = new RawStatement(connection, "INSERT INTO rollup_1m " + RollupUpsert);
        _upsertHour = new RawStatement(connection, "INSERT INTO rollup_1h " + RollupUpsert);
        _updateSeries = new RawStatement(connection, """
            UPDATE series SET
                first_time = MIN(COALESCE(first_time, ?2), ?2),
                unit = CASE WHEN last_time IS NULL OR ?3 >= last_time THEN ?4 ELSE unit END,
                latest_value = CASE WHEN last_time IS NULL OR ?3 >= last_time THEN ?5 ELSE latest_value END,
                latest_quality = CASE WHEN last_time IS NULL OR ?3 >= last_time THEN ?6 ELSE latest_quality END,
                last_time = MAX(COALESCE(last_time, ?3), ?3),
                points = points + ?7,
                max_span = MAX(max_span, ?8)
            WHERE id = ?1
            """);
        _insertSeries = SqliteCommands.Create(connection,
            "INSERT INTO series (device, metric, unit) VALUES ($device, $metric, $unit) ON CONFLICT (device, metric) DO NOTHING",
            "$device", "$metric", "$unit");
        _findSeries = SqliteCommands.Create(connection, "SELECT id FROM series WHERE device = $device AND metric = $metric", "$device", "$metric");
    }

    public void Use(SqliteTransaction transaction) => _transaction = transaction;

    /// <summary>Records the batch as written; false when it already was (then nothing else may be written for it).</summary>
    public bool MarkWritten(long batchId, string agent, int points) => _markWritten.Bind(1, batchId).Bind(2, agent).Bind(3, points).Execute() == 1;

    public async Task<long> SeriesIdAsync(string device, string metric, string? unit, CancellationToken cancellationToken)
    {
        await _insertSeries.Bind(_transaction, device, metric, unit).ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return (long)(await _findSeries.Bind(_transaction, device, metric).ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    public void InsertChunk(long seriesId, long batchId, long start, long end, int count, ReadOnlySpan<byte> data) =>
        _insertChunk.Bind(1, seriesId).Bind(2, batchId).Bind(3, start).Bind(4, end).Bind(5, count).Bind(6, data).Execute();

    /// <summary>Adds <paramref name="r"/> to what the bucket holds.</summary>
    public void UpsertRollup(SeriesTier tier, long seriesId, long bucket, in Rollup r) =>
        (tier == SeriesTier.Hour ? _upsertHour : _upsertMinute)
            .Bind(1, seriesId).Bind(2, bucket).Bind(3, r.Count).Bind(4, r.Sum).Bind(5, r.Min).Bind(6, r.Max).Bind(7, r.Last).Bind(8, r.LastTime)
            .Execute();

    public void UpdateSeries(long seriesId, SeriesDelta d) =>
        _updateSeries.Bind(1, seriesId).Bind(2, d.First).Bind(3, d.Last).Bind(4, d.Unit).Bind(5, d.LatestValue).Bind(6, d.LatestQuality)
            .Bind(7, d.Points).Bind(8, d.MaxSpan).Execute();

    public async ValueTask DisposeAsync()
    {
        foreach (var statement in (RawStatement[])[_markWritten, _insertChunk, _upsertMinute, _upsertHour, _updateSeries]) statement.Dispose();
        await _insertSeries.DisposeAsync().ConfigureAwait(false);
        await _findSeries.DisposeAsync().ConfigureAwait(false);
    }
}
