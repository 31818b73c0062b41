using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Storage.Sqlite;
using EquipmentIoT.Protocols.Telemetry.Model;
using Microsoft.Data.Sqlite;
using NodaTime;

namespace EquipmentIoT.Cloud.Tests.Storage;

public sealed class SqliteSeriesStoreTests
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly Instant T0 = TestAgent.T0;

    [Fact]
    public async Task WriteAsync_SameBatchAgain_ChangesNoCountNorRollup()
    {
        await using var ctx = new StoreTestContext();
        var series = ctx.Series();
        var batch = new SeriesBatch(1, "agent-01", Readings(T0, 600, seed: 1));
        await series.WriteAsync([batch], None);
        var info = await series.SeriesAsync("mr-01", None);
        var hourly = await series.QueryAsync(Hourly(T0, T0 + Duration.FromHours(1)), None);
        var raw = await series.QueryAsync(new SeriesQuery("mr-01", "helium_level", T0, T0 + Duration.FromHours(1)), None);

        await series.WriteAsync([batch, batch], None);
        await ctx.Series().WriteAsync([batch], None);

        Assert.Equal(info, await series.SeriesAsync("mr-01", None));
        Assert.Equal(hourly, await series.QueryAsync(Hourly(T0, T0 + Duration.FromHours(1)), None));
        Assert.Equal(raw, await series.QueryAsync(new SeriesQuery("mr-01", "helium_level", T0, T0 + Duration.FromHours(1)), None));
        Assert.Equal(600, Assert.Single(info).Points);
    }

    [Theory]
    [InlineData(3600, SeriesAggregate.Mean)]
    [InlineData(7200, SeriesAggregate.Max)]
    [InlineData(60, SeriesAggregate.Min)]
    [InlineData(300, SeriesAggregate.Sum)]
    [InlineData(900, SeriesAggregate.Count)]
    [InlineData(90, SeriesAggregate.Last)]
    [InlineData(7, SeriesAggregate.Mean)]
    public async Task QueryAsync_StepOverUnalignedRange_EqualsAggregatingTheRawPoints(int stepSeconds, SeriesAggregate aggregate)
    {
        await using var ctx = new StoreTestContext();
        var series = ctx.Series();
        var points = new List<MetricPoint>();
        // Three hours and a bit at 1 Hz in 500-point batches, written in groups of four batches.
        var batches = new List<SeriesBatch>();
        for (var i = 0; i < 24; i++)
        {
            var readings = Readings(T0 + Duration.FromSeconds(500 * i), 500, seed: i);
            points.AddRange(readings);
            batches.Add(new SeriesBatch(100 + i, "agent-01", readings));
        }
        foreach (var group in batches.Chunk(4)) await series.WriteAsync(group, None);
        var from = T0 + Duration.FromSeconds(1234.5);
        var to = T0 + Duration.FromSeconds(11_111);
        var step = Duration.FromSeconds(stepSeconds);

        var result = await series.QueryAsync(new SeriesQuery("mr-01", "helium_level", from, to, step, aggregate), None);

        var expected = Aggregate(points, from, to, step, aggregate);
        Assert.Equal(expected.Select(e => e.Time), result.Select(r => r.Time));
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Count, result[i].Count);
            Assert.Equal(expected[i].Value, result[i].Value, 1e-9);
            Assert.Equal((expected[i].Min, expected[i].Max), (result[i].Min, result[i].Max));
        }
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
    public async Task QueryAsync_BadQualityPoints_AreReturnedRawButLeftOutOfAggregates()
    {
        await using var ctx = new StoreTestContext();
        var series = ctx.Series();
        MetricPoint[] points =
        [
            new("mr-01", "helium_level", "%", T0, 70),
            new("mr-01", "helium_level", "%", T0 + Duration.FromSeconds(1), -9999, MetricQuality.Bad),
            new("mr-01", "helium_level", "%", T0 + Duration.FromSeconds(2), 72, MetricQuality.Uncertain),
        ];
        await series.WriteAsync([new SeriesBatch(1, "agent-01", points)], None);

        var raw = await series.QueryAsync(new SeriesQuery("mr-01", "helium_level", T0, T0 + Duration.FromMinutes(1)), None);
        var mean = Assert.Single(await series.QueryAsync(new SeriesQuery("mr-01", "helium_level", T0, T0 + Duration.FromMinutes(1), Duration.FromMinutes(1)), None));
        var fine = await series.QueryAsync(new SeriesQuery("mr-01", "helium_level", T0, T0 + Duration.FromMinutes(1), Duration.FromSeconds(1), SeriesAggregate.Min), None);

        Assert.Equal([MetricQuality.Good, MetricQuality.Bad, MetricQuality.Uncertain], raw.Select(p => p.Quality));
        Assert.Equal(-9999, raw[1].Value);
        Assert.Equal((71.0, 2L, 70.0, 72.0), (mean.Value, mean.Count, mean.Min, mean.Max));
        Assert.Equal([70.0, 72.0], fine.Select(p => p.Value));
        Assert.Equal(3, Assert.Single(await series.SeriesAsync(null, None)).Points);
    }

    [Fact]
    public async Task QueryAsync_RawOverOutOfOrderBatches_IsSortedByTimeAndLimited()
    {
        await using var ctx = new StoreTestContext();
        var series = ctx.Series();
        await series.WriteAsync([new SeriesBatch(2, "agent-01", Readings(T0 + Duration.FromSeconds(100), 100, seed: 2))], None);
        await series.WriteAsync([new SeriesBatch(1, "agent-01", Readings(T0, 100, seed: 1))], None);

        var all = await series.QueryAsync(new SeriesQuery("mr-01", "helium_level", T0, T0 + Duration.FromHours(1)), None);
        var first = await series.QueryAsync(new SeriesQuery("mr-01", "helium_level", T0 + Duration.FromSeconds(50), T0 + Duration.FromHours(1), Limit: 80), None);

        Assert.Equal(200, all.Count);
        Assert.Equal(all.Select(p => p.Time).Order(), all.Select(p => p.Time));
        Assert.Equal(80, first.Count);
        Assert.Equal(T0 + Duration.FromSeconds(50), first[0].Time);
        Assert.Equal(T0 + Duration.FromSeconds(129), first[^1].Time);
        Assert.Empty(await series.QueryAsync(new SeriesQuery("mr-01", "no_such_metric", T0, T0 + Duration.FromHours(1)), None));
    }

    [Fact]
    public async Task LatestAsync_OlderBatchArrivingLater_KeepsTheNewestValue()
    {
        await using var ctx = new StoreTestContext();
        var series = ctx.Series();
        await series.WriteAsync([new SeriesBatch(2, "agent-01",
        [
            new MetricPoint("mr-01", "helium_level", "%", T0 + Duration.FromMinutes(5), 71.5),
            new MetricPoint("mr-01", "room_temp", "Cel", T0 + Duration.FromMinutes(5), 21.0, MetricQuality.Uncertain),
            new MetricPoint("ct-02", "tube_temp", "Cel", T0 + Duration.FromMinutes(4), 40),
        ])], None);
        await series.WriteAsync([new SeriesBatch(1, "agent-01", [new MetricPoint("mr-01", "helium_level", "%", T0, 73)])], None);

        var latest = await series.LatestAsync("mr-01", None);

        Assert.Equal(
            [new LatestValue("mr-01", "helium_level", "%", T0 + Duration.FromMinutes(5), 71.5, MetricQuality.Good),
             new LatestValue("mr-01", "room_temp", "Cel", T0 + Duration.FromMinutes(5), 21.0, MetricQuality.Uncertain)],
            latest);
        Assert.Equal(3, (await series.LatestAsync(null, None)).Count);
        var helium = (await series.SeriesAsync("mr-01", None))[0];
        Assert.Equal(new SeriesInfo("mr-01", "helium_level", "%", T0, T0 + Duration.FromMinutes(5), 2), helium);
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

    private static SeriesQuery Hourly(Instant from, Instant to) => new("mr-01", "helium_level", from, to, Duration.FromHours(1));

    /// <summary><paramref name="count"/> 1 Hz readings from <paramref name="start"/>, values from a fixed seed, every 37th Bad.</summary>
    private static MetricPoint[] Readings(Instant start, int count, int seed)
    {
        var random = new Random(seed);
        var points = new MetricPoint[count];
        for (var i = 0; i < count; i++)
        {
            points[i] = new MetricPoint("mr-01", "helium_level", "%", start + Duration.FromSeconds(i), Math.Round(60 + random.NextDouble() * 20, 2),
                i % 37 == 36 ? MetricQuality.Bad : MetricQuality.Good);
        }
        return points;
    }

    private static List<SeriesPoint> Aggregate(List<MetricPoint> points, Instant from, Instant to, Duration step, SeriesAggregate aggregate)
    {
        var stepMs = (long)step.TotalMilliseconds;
        return points
            .Where(p => p.Timestamp >= from && p.Timestamp < to && p.Quality != MetricQuality.Bad)
            .GroupBy(p => Math.DivRem(p.Timestamp.ToUnixTimeMilliseconds(), stepMs).Quotient * stepMs)
            .OrderBy(g => g.Key)
            .Select(g =>
            {
                var values = g.OrderBy(p => p.Timestamp).Select(p => p.Value).ToList();
                var value = aggregate switch
                {
                    SeriesAggregate.Mean => values.Average(),
                    SeriesAggregate.Min => values.Min(),
                    SeriesAggregate.Max => values.Max(),
                    SeriesAggregate.Sum => values.Sum(),
                    SeriesAggregate.Count => values.Count,
                    _ => values[^1],
                };
                return new SeriesPoint(Instant.FromUnixTimeMilliseconds(g.Key), value, values.Count, values.Min(), values.Max());
            })
            .ToList();
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
