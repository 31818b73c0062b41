using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Storage.Sqlite;
using EquipmentIoT.Protocols.Telemetry.Model;
using Microsoft.Data.Sqlite;
using NodaTime;

namespace EquipmentIoT.Cloud.Tests.Storage;

/// <summary>The series store contract on SQLite, plus SQLite's own internals (chunks, rollup tiers, migrations, pages).</summary>
public sealed class SqliteSeriesStoreTests : SeriesStoreContract
{
    protected override Task<SeriesStoreWorld> NewWorldAsync() => Task.FromResult<SeriesStoreWorld>(new SqliteWorld());

    private sealed class SqliteWorld : SeriesStoreWorld
    {
        private readonly StoreTestContext _context = new();

        public override ISeriesStore Open() => _context.Series();

        public override ValueTask DisposeAsync() => _context.DisposeAsync();
    }

    [Fact]
    public async Task QueryAsync_HourStep_IsAnsweredByTheRollupsAndRawByTheChunks()
    {
        await using var ctx = new StoreTestContext();
        var series = ctx.Series();
        var readings = Readings(T0, 7200, seed: 3);
        await series.WriteAsync([new SeriesBatch(1, "agent-01", readings)], None);
        await DeleteChunksAsync(ctx.Path);

        var hourly = await series.QueryAsync(Hourly(T0, T0 + Duration.FromHours(2)), None);
        var minutely = await series.QueryAsync(new SeriesQuery("mr-01", "helium_level", T0, T0 + Duration.FromHours(2), Duration.FromMinutes(10)), None);
        var raw = await series.QueryAsync(new SeriesQuery("mr-01", "helium_level", T0, T0 + Duration.FromHours(2)), None);

        var good = readings.Where(p => p.Quality != MetricQuality.Bad).ToList();
        Assert.Equal([good.Count(p => p.Timestamp < T0 + Duration.FromHours(1)), good.Count(p => p.Timestamp >= T0 + Duration.FromHours(1))],
            hourly.Select(p => p.Count));
        Assert.Equal(12, minutely.Count);
        Assert.Empty(raw);
    }

    [Fact]
    public async Task InitializeAsync_EmptyDirectoryThenExistingOne_MigratesOnceAndKeepsTheData()
    {
        await using var ctx = new StoreTestContext();
        var first = ctx.Series();
        await first.InitializeAsync(None);
        await first.WriteAsync([new SeriesBatch(1, "agent-01", Readings(T0, 10, seed: 1))], None);
        await first.DisposeAsync();

        var reopened = ctx.Series();
        await reopened.InitializeAsync(None);

        await using var connection = await new SqliteDatabase(SqliteDataFiles.SeriesPath(ctx.Path)).OpenAsync(None);
        Assert.Equal(1, await SqliteMigrator.CurrentVersionAsync(connection, null, "series", None));
        Assert.Equal(10, Assert.Single(await reopened.SeriesAsync(null, None)).Points);
    }

    [Fact]
    public async Task WriteAsync_TransactionThatFailed_LeavesNoSeriesIdBehind()
    {
        await using var ctx = new StoreTestContext();
        var series = ctx.Series();
        using var cancel = new CancellationTokenSource();
        var alpha = new SeriesBatch(1, "agent-01", [new MetricPoint("mr-01", "alpha", null, T0, 1)]);
        var never = new SeriesBatch(2, "agent-01", [new MetricPoint("mr-01", "alpha", null, T0 + Duration.FromSeconds(1), 2)]);

        // The second batch is reached only after the first created "alpha" in the transaction: cancelling there rolls it back.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => series.WriteAsync(new CancelAtSecond<SeriesBatch>([alpha, never], cancel), cancel.Token));
        await series.WriteAsync([new SeriesBatch(3, "agent-01", [new MetricPoint("mr-01", "beta", null, T0, 10)])], None);
        await series.WriteAsync([alpha], None);

        var all = await series.SeriesAsync("mr-01", None);
        Assert.Equal([("alpha", 1L), ("beta", 1L)], all.Select(i => (i.Metric, i.Points)));
        Assert.Equal(10, Assert.Single(await series.QueryAsync(new SeriesQuery("mr-01", "beta", T0, T0 + Duration.FromMinutes(1)), None)).Value);
    }

    [Fact]
    public async Task InitializeAsync_NewRecordsFile_Has16KiBPages()
    {
        await using var ctx = new StoreTestContext();
        await ctx.Ledger().InitializeAsync(None);

        await using var connection = await new SqliteDatabase(SqliteDataFiles.RecordsPath(ctx.Path)).OpenAsync(None);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA page_size";
        Assert.Equal(16384L, await command.ExecuteScalarAsync());
    }

    /// <summary>A list whose enumeration cancels <paramref name="cancel"/> when it hands out its second item.</summary>
    private sealed class CancelAtSecond<T>(IReadOnlyList<T> items, CancellationTokenSource cancel) : IReadOnlyList<T>
    {
        public T this[int index] => items[index];

        public int Count => items.Count;

        public IEnumerator<T> GetEnumerator()
        {
            for (var i = 0; i < items.Count; i++)
            {
                if (i == 1) cancel.Cancel();
                yield return items[i];
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }

    private static async Task DeleteChunksAsync(string directory)
    {
        await using var connection = new SqliteConnection($"Data Source={SqliteDataFiles.SeriesPath(directory)}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM chunks";
        await command.ExecuteNonQueryAsync();
    }
}
