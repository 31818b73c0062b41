using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Protocols.Telemetry.Model;
using NodaTime;

namespace EquipmentIoT.Cloud.Tests.Storage;

/// <summary>
/// The behaviour every <see cref="ISeriesStore"/> must have, run against each backend by a derived class
/// (SQLite, InfluxDB): idempotent batches, aggregates equal to aggregating the raw points, Bad points stored but
/// left out of aggregates, raw order and limit, latest values. Backend internals stay in the derived classes.
/// </summary>
public abstract class SeriesStoreContract
{
    protected static readonly CancellationToken None = CancellationToken.None;
    protected static readonly Instant T0 = TestAgent.T0;

    /// <summary>A fresh, empty storage for one test.</summary>
    protected abstract Task<SeriesStoreWorld> NewWorldAsync();

    [Fact]
    public async Task WriteAsync_SameBatchAgain_ChangesNoCountNorRollup()
    {
        await using var world = await NewWorldAsync();
        var series = world.Open();
        var batch = new SeriesBatch(1, "agent-01", Readings(T0, 600, seed: 1));
        await series.WriteAsync([batch], None);
        var info = await series.SeriesAsync("mr-01", None);
        var hourly = await series.QueryAsync(Hourly(T0, T0 + Duration.FromHours(1)), None);
        var raw = await series.QueryAsync(new SeriesQuery("mr-01", "helium_level", T0, T0 + Duration.FromHours(1)), None);

        await series.WriteAsync([batch, batch], None);
        await world.Open().WriteAsync([batch], None);

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
        await using var world = await NewWorldAsync();
        var series = world.Open();
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
    public async Task QueryAsync_BadQualityPoints_AreReturnedRawButLeftOutOfAggregates()
    {
        await using var world = await NewWorldAsync();
        var series = world.Open();
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
        await using var world = await NewWorldAsync();
        var series = world.Open();
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
        await using var world = await NewWorldAsync();
        var series = world.Open();
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

    protected static SeriesQuery Hourly(Instant from, Instant to) => new("mr-01", "helium_level", from, to, Duration.FromHours(1));

    /// <summary><paramref name="count"/> 1 Hz readings from <paramref name="start"/>, values from a fixed seed, every 37th Bad.</summary>
    protected static MetricPoint[] Readings(Instant start, int count, int seed)
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

    protected static List<SeriesPoint> Aggregate(List<MetricPoint> points, Instant from, Instant to, Duration step, SeriesAggregate aggregate)
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

}

/// <summary>One test's storage: <see cref="Open"/> gives a store instance on it (a second call, a second instance on the same data).</summary>
public abstract class SeriesStoreWorld : IAsyncDisposable
{
    public abstract ISeriesStore Open();

    public abstract ValueTask DisposeAsync();
}
