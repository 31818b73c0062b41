using System.Text.Json;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Storage.Influx;
using EquipmentIoT.Protocols.Telemetry.Model;
using NodaTime;

namespace EquipmentIoT.Cloud.Tests.Storage.Influx;

/// <summary>What only the InfluxDB store has: tag escaping through the real server, rollups of late points, the schema it creates.</summary>
public sealed class InfluxSeriesStoreSpecificTests(InfluxServerFixture fixture) : IClassFixture<InfluxServerFixture>
{
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly Instant T0 = TestAgent.T0;

    public static TheoryData<string> HostileTexts => new()
    {
        "mr 01 north wing",
        "a,b,c",
        "key=value",
        "say \"hi\" 'there'",
        "line one\nline two\r\nthree",
        @"C:\devices\mr-01\",
        @"back\\slash\ and\,comma\=",
        "磁共振成像 一号",
        "\u241B escape \u241Bn sign",
        "#not a comment",
    };

    [Theory]
    [MemberData(nameof(HostileTexts))]
    public async Task WriteAsync_HostileTagValues_RoundTripThroughTheServer(string text)
    {
        await using var store = await fixture.NewStoreAsync();
        var point = new MetricPoint(text, text + " metric", text + " unit", T0, 42.5, MetricQuality.Uncertain);
        await store.WriteAsync([new SeriesBatch(7, text + " agent", [point])], None);

        var latest = Assert.Single(await store.LatestAsync(text, None));
        var raw = Assert.Single(await store.QueryAsync(new SeriesQuery(text, text + " metric", T0, T0 + Duration.FromMinutes(1)), None));
        var info = Assert.Single(await store.SeriesAsync(null, None));

        Assert.Equal(new LatestValue(text, text + " metric", text + " unit", T0, 42.5, MetricQuality.Uncertain), latest);
        Assert.Equal((T0, 42.5, MetricQuality.Uncertain), (raw.Time, raw.Value, raw.Quality));
        Assert.Equal(new SeriesInfo(text, text + " metric", text + " unit", T0, T0, 1), info);
    }

    [Fact]
    public async Task LatestAsync_SeriesQuietForDaysAndMonths_FoundBeyondTheLastDayWithTheirOwnLastValues()
    {
        await using var store = await fixture.NewStoreAsync();
        // LatestAsync reads the last day first and widens (40 days, then the whole retention) for the series it has not found,
        // naming them: a fresh series, one quiet for ten days and, on two devices with hostile names, ones quiet for 60 and 300 days.
        var now = SystemClock.Instance.GetCurrentInstant();
        var written = new (string Device, string Metric, Duration Age)[]
        {
            ("mr-01", "helium_level", Duration.FromMinutes(5)),
            ("mr-01", "cold_head_temp", Duration.FromDays(10)),
            ("ct 02,west=wing", "tube_temp", Duration.FromDays(60)),
            ("ct 02,west=wing", "gantry_temp", Duration.FromMinutes(1)),
            ("am\\01 磁", "oxygen ppm", Duration.FromDays(300)),
        };
        var points = new List<MetricPoint>();
        foreach (var (device, metric, age) in written)
        {
            // Two points each: the newer must win whatever window found it.
            points.Add(new MetricPoint(device, metric, "u", now - age - Duration.FromHours(1), 1));
            points.Add(new MetricPoint(device, metric, "u", now - age, 2, MetricQuality.Uncertain));
        }
        await store.WriteAsync([new SeriesBatch(1, "agent-01", points)], None);

        var all = await store.LatestAsync(null, None);
        var quiet = await store.LatestAsync("am\\01 磁", None);

        Assert.Equal(
            written.Select(w => (w.Device, w.Metric, Instant.FromUnixTimeMilliseconds((now - w.Age).ToUnixTimeMilliseconds()), 2.0, MetricQuality.Uncertain))
                .OrderBy(w => w.Device, StringComparer.Ordinal).ThenBy(w => w.Metric, StringComparer.Ordinal),
            all.Select(v => (v.Device, v.Metric, v.Time, v.Value, v.Quality)));
        Assert.Equal(("oxygen ppm", 2.0), (Assert.Single(quiet).Metric, quiet[0].Value));
    }

    [Fact]
    public async Task WriteAsync_LateBatch_IsRolledUpAtOnceForExactlyItsBuckets()
    {
        await using var store = await fixture.NewStoreAsync();
        // Two and a half hours at 1 Hz, ten days old: far behind both continuous queries' resample windows.
        var start = T0 + Duration.FromMinutes(30);
        var points = Enumerable.Range(0, 9000)
            .Select(i => new MetricPoint("mr-01", "helium_level", "%", start + Duration.FromSeconds(i), 60 + (i % 100) / 10.0,
                i % 50 == 49 ? MetricQuality.Bad : MetricQuality.Good))
            .ToList();
        await store.WriteAsync([new SeriesBatch(1, "agent-01", points)], None);

        var database = store.Client.Options.Database;
        var hours = await Rows(database, "rollup_1h", "count, mean, min, max, last");
        var minutes = await Rows(database, "rollup_1m", "count");

        var good = points.Where(p => p.Quality != MetricQuality.Bad).ToList();
        var expected = good.GroupBy(p => p.Timestamp.ToUnixTimeMilliseconds() / 3_600_000 * 3_600_000).ToList();
        Assert.Equal(expected.Select(g => g.Key), hours.Select(r => r[0].GetInt64()));
        Assert.Equal(expected.Select(g => (long)g.Count()), hours.Select(r => r[1].GetInt64()));
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Average(p => p.Value), hours[i][2].GetDouble(), 1e-9);
            Assert.Equal(expected[i].Max(p => p.Value), hours[i][4].GetDouble());
            Assert.Equal(expected[i].Last().Value, hours[i][5].GetDouble());
        }
        Assert.Equal(150, minutes.Count);
        Assert.Equal(good.Count, minutes.Sum(r => r[1].GetInt64()));
    }

    [Fact]
    public async Task InitializeAsync_Twice_LeavesThePoliciesAndContinuousQueriesInPlace()
    {
        await using var store = await fixture.NewStoreAsync(o => o.RawRetention = TimeSpan.FromDays(30));
        await store.InitializeAsync(None);
        await using var second = InfluxSeriesStore.Create(store.Client.Options, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        store.Client.Options.RawRetention = TimeSpan.FromDays(400);
        await second.InitializeAsync(None);

        var database = store.Client.Options.Database;
        using var policies = await fixture.Server.QueryAsync($"SHOW RETENTION POLICIES ON \"{database}\"");
        var rows = Values(policies).ToDictionary(r => r[0].GetString()!, r => (Duration: r[1].GetString(), Default: r[4].GetBoolean()));
        Assert.Equal(("9600h0m0s", true), rows["raw"]);
        Assert.Equal(("26400h0m0s", false), rows["rollup_1m"]);
        Assert.Equal(("0s", false), rows["rollup_1h"]);

        using var queries = await fixture.Server.QueryAsync("SHOW CONTINUOUS QUERIES");
        var ours = queries.RootElement.GetProperty("results")[0].GetProperty("series").EnumerateArray()
            .Single(s => s.GetProperty("name").GetString() == database).GetProperty("values").EnumerateArray()
            .Select(v => v[0].GetString()).Order().ToList();
        Assert.Equal(["telemetry_1h", "telemetry_1m"], ours);
    }

    [Fact]
    public async Task WriteAsync_FieldTypeConflict_FailsNamingInfluxDbsMessage()
    {
        await using var store = await fixture.NewStoreAsync();
        using var http = new HttpClient { BaseAddress = fixture.Server.Uri };
        using var body = new StringContent($"telemetry,device=mr-01,metric=x value=\"text\" {T0.ToUnixTimeMilliseconds()}");
        using var response = await http.PostAsync(new Uri($"write?db={store.Client.Options.Database}&rp=raw&precision=ms", UriKind.Relative), body);
        Assert.True(response.IsSuccessStatusCode);

        var ex = await Assert.ThrowsAsync<InfluxRequestException>(() =>
            store.WriteAsync([new SeriesBatch(1, "agent-01", [new MetricPoint("mr-01", "x", null, T0, 1)])], None));

        Assert.Equal(400, ex.StatusCode);
        Assert.Contains("field type conflict", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAsync_Gzip_StoresTheSamePoints()
    {
        await using var store = await fixture.NewStoreAsync(o => o.Gzip = true);
        var points = Enumerable.Range(0, 12_345).Select(i => new MetricPoint("ct-02", "tube_temp", "Cel", T0 + Duration.FromSeconds(i), i)).ToList();

        await store.WriteAsync([new SeriesBatch(1, "agent-01", points)], None);

        Assert.Equal(12_345, Assert.Single(await store.SeriesAsync("ct-02", None)).Points);
    }

    private async Task<List<JsonElement[]>> Rows(string database, string policy, string fields)
    {
        using var answer = await fixture.Server.QueryAsync($"SELECT {fields} FROM \"{database}\".\"{policy}\".\"telemetry\"");
        return [.. Values(answer).Select(r => r.Select(v => v.Clone()).ToArray())];
    }

    private static IEnumerable<JsonElement[]> Values(JsonDocument answer)
    {
        var result = answer.RootElement.GetProperty("results")[0];
        if (!result.TryGetProperty("series", out var series)) yield break;
        foreach (var row in series[0].GetProperty("values").EnumerateArray()) yield return [.. row.EnumerateArray()];
    }
}
