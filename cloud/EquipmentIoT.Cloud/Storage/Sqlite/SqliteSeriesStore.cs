using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace EquipmentIoT.Cloud.Storage.Sqlite;

/// <summary>
/// Time series on SQLite (series.db, component "series"): a chunk row per (series, batch) holding that batch's
/// points as a compact BLOB, 1-minute and 1-hour rollups and each series' latest value, all changed in one
/// <c>BEGIN IMMEDIATE</c> transaction per <see cref="WriteAsync"/> call. Idempotent per batch id: a batch
/// written again changes nothing, rollups included. Queries pick the coarsest tier that answers them exactly
/// (<see cref="SeriesQueryPlan"/>). Points of quality Bad are stored and returned by raw queries but left out
/// of every aggregate (see <see cref="SeriesWrite"/>).
/// </summary>
public sealed partial class SqliteSeriesStore : ISeriesStore, IStoreInitializer, IAsyncDisposable
{
    private readonly SqliteStoreWriter<SeriesCommands> _writer;

    // The writer's memory of every series it wrote (ids never change once committed); used under the write lock only.
    private readonly Dictionary<SeriesKey, SeriesSlot> _slots = [];

    public SqliteSeriesStore(SqliteDatabase database, ILogger<SqliteSeriesStore> logger)
    {
        _writer = new SqliteStoreWriter<SeriesCommands>(database, SeriesSchema.Component, SeriesSchema.Migrations,
            connection => new SeriesCommands(connection), logger);
    }

    /// <summary>The series store of the data directory's series.db.</summary>
    public static SqliteSeriesStore ForDataDirectory(string dataDirectory, ILogger<SqliteSeriesStore> logger) =>
        new(SqliteDataFiles.SeriesDatabase(dataDirectory), logger);

    public Task InitializeAsync(CancellationToken cancellationToken) => _writer.InitializeAsync(cancellationToken);

    public async Task WriteAsync(IReadOnlyList<SeriesBatch> batches, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batches);
        if (batches.Count == 0) return;
        SeriesWrite? write = null;
        await _writer.WriteAsync(async (commands, ct) =>
        {
            write = new SeriesWrite(commands, _slots);
            foreach (var batch in batches) await write.WriteAsync(batch, ct).ConfigureAwait(false);
            write.Complete();
            return true;
        }, committed => write?.Settle(committed), cancellationToken).ConfigureAwait(false);
    }

    public ValueTask DisposeAsync() => _writer.DisposeAsync();

    private Task<SqliteConnection> ReaderAsync(CancellationToken cancellationToken) => _writer.ReaderAsync(cancellationToken);
}
