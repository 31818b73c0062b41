using System.Diagnostics;
using System.Globalization;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Storage.Influx;
using EquipmentIoT.Cloud.Storage.Sqlite;
using EquipmentIoT.Protocols.LineProtocol;
using EquipmentIoT.Protocols.Telemetry.Model;
using EquipmentIoT.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;

namespace EquipmentIoT.Bench.Influx;

/// <summary>
/// <c>eqiot-bench influx</c>: starts its own influxd and measures (a) the write ceiling (pre-encoded 5,000-point
/// line protocol bodies over HTTP from N writers), (b) <see cref="InfluxSeriesStore.WriteAsync"/> of the same
/// points as SeriesBatch lists from N callers, (c) <see cref="SqliteSeriesStore"/> on the same points, and (d)
/// p50/p95 of dashboard-like queries over a year of 1-minute data (seeded). Target of issue 8: the store reaches
/// at least 50 % of the ceiling; year queries p95 ≤ 200 ms. Exits 0 whatever the figures, 1 when a step failed.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class InfluxBenchCommand
{
    public const string Help = """
          eqiot-bench influx [--points 1000000] [--writers 4] [--year-series 4] [--repeats 20]
            (a) write ceiling, (b) InfluxSeriesStore, (c) SqliteSeriesStore on the same points, (d) queries over a
            year of 1-minute data of --year-series series (0 skips). Build with -c Release.
        """;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        int points = 1_000_000, writers = 4, yearSeries = 4, repeats = 20;
        try
        {
            var a = new ArgumentReader(args);
            while (a.TryNext())
            {
                switch (a.Current)
                {
                    case "--points": points = a.Int(5000, 100_000_000); break;
                    case "--writers": writers = a.Int(1, 64); break;
                    case "--year-series": yearSeries = a.Int(0, 100); break;
                    case "--repeats": repeats = a.Int(1, 10_000); break;
                    case "--help" or "-h": Console.WriteLine(Help); return 0;
                    default: throw a.Unknown();
                }
            }
        }
        catch (CommandLineException ex)
        {
            await Console.Error.WriteLineAsync($"eqiot-bench influx: {ex.Message}").ConfigureAwait(false);
            return 2;
        }
        try
        {
            await using var server = await InfluxServer.StartAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            await RunAllAsync(server, points, writers, yearSeries, repeats, cancellationToken).ConfigureAwait(false);
            return 0;
        }
        catch (Exception ex) when (ex is InvalidOperationException or InfluxRequestException or InfluxCommunicationException or IOException)
        {
            await Console.Error.WriteLineAsync($"eqiot-bench influx: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    private static async Task RunAllAsync(InfluxServer server, int pointCount, int writers, int yearSeries, int repeats, CancellationToken cancellationToken)
    {
        if (typeof(InfluxSeriesStore).Assembly.GetCustomAttributes(typeof(DebuggableAttribute), false) is [DebuggableAttribute { IsJITOptimizerDisabled: true }])
            Print("WARNING: not an optimized build; use -c Release");
        Print($"influxd at {server.Uri}; {Environment.ProcessorCount} cores; {pointCount:N0} points, {writers} writers");
        // Recent points (the last 5 minutes: inside the continuous queries' window, as live ingestion is), 100 devices x 10 metrics.
        var batches = RecentBatches(pointCount, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var groups = batches.Chunk(10).ToList(); // 10 batches of 500 points: 5,000 points per store write

        var ceiling = await CeilingAsync(server, batches, writers, cancellationToken).ConfigureAwait(false);
        Print($"(a) ceiling: line protocol over HTTP, 5,000-point pre-encoded bodies, {writers} writers: {ceiling:N0} points/s");

        var store = await StoreAsync(server, "store", groups, writers, cancellationToken).ConfigureAwait(false);
        Print($"(b) InfluxSeriesStore.WriteAsync, 5,000 points per call, {writers} callers: {store:N0} points/s = {100 * store / ceiling:0} % of the ceiling  target >= 50 %: {(store >= ceiling / 2 ? "PASS" : "FAIL")}");

        var sqlite = await SqliteAsync(groups, cancellationToken).ConfigureAwait(false);
        Print($"(c) SqliteSeriesStore.WriteAsync, 5,000 points per call, 1 caller: {sqlite:N0} points/s");

        if (yearSeries == 0) return;
        await YearAsync(server, yearSeries, repeats, cancellationToken).ConfigureAwait(false);
    }

    private static List<SeriesBatch> RecentBatches(int pointCount, long nowMs)
    {
        var random = new Random(8);
        var batches = new List<SeriesBatch>();
        const int perBatch = 500;
        var start = nowMs - 300_000;
        for (var b = 0; b * perBatch < pointCount; b++)
        {
            var device = $"dev-{b % 100:000}";
            var points = new MetricPoint[Math.Min(perBatch, pointCount - (b * perBatch))];
            for (var i = 0; i < points.Length; i++)
            {
                // Each batch: 50 readings of 10 metrics of one device, a distinct instant per batch round.
                var time = start + ((b / 100) * 50L) + (i / 10);
                points[i] = new MetricPoint(device, $"metric_{i % 10}", "Cel", Instant.FromUnixTimeMilliseconds(time), Math.Round(random.NextDouble() * 100, 3));
            }
            batches.Add(new SeriesBatch(b + 1, $"agent-{b % 10:00}", points));
        }
        return batches;
    }

    private static async Task<double> CeilingAsync(InfluxServer server, List<SeriesBatch> batches, int writers, CancellationToken cancellationToken)
    {
        var options = new InfluxOptions { Url = server.Uri, Database = "ceiling" };
        await using (var init = InfluxSeriesStore.Create(options, NullLoggerFactory.Instance)) await init.InitializeAsync(cancellationToken).ConfigureAwait(false);
        var lines = new InfluxLineBodies(5000, 25_000_000);
        foreach (var batch in batches)
        {
            foreach (var p in batch.Points)
            {
                lines.TryAdd(new LinePoint("telemetry",
                    [new("agent", batch.Agent), new("device", p.Device), new("metric", p.Name), new("unit", p.Unit!)],
                    [new("value", LineFieldValue.Float(p.Value)), new("quality", LineFieldValue.Integer(0)), new("batch", LineFieldValue.Integer(batch.BatchId))],
                    p.Timestamp.ToUnixTimeMilliseconds(), LinePrecision.Milliseconds));
            }
        }
        var points = lines.Points;
        var bodies = lines.Drain();
        using var client = InfluxClient.Create(options, NullLogger<InfluxClient>.Instance);
        await client.WriteAsync(bodies[0], "raw", cancellationToken).ConfigureAwait(false); // warm-up (the same points again are an overwrite)
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(bodies, new ParallelOptions { MaxDegreeOfParallelism = writers, CancellationToken = cancellationToken },
            async (body, ct) => await client.WriteAsync(body, "raw", ct).ConfigureAwait(false)).ConfigureAwait(false);
        return points / clock.Elapsed.TotalSeconds;
    }

    private static async Task<double> StoreAsync(InfluxServer server, string database, List<SeriesBatch[]> groups, int writers, CancellationToken cancellationToken)
    {
        await using var store = InfluxSeriesStore.Create(new InfluxOptions { Url = server.Uri, Database = database, WriteConcurrency = 1 }, NullLoggerFactory.Instance);
        await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
        await store.WriteAsync(groups[0], cancellationToken).ConfigureAwait(false); // warm-up (an overwrite later)
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(groups, new ParallelOptions { MaxDegreeOfParallelism = writers, CancellationToken = cancellationToken },
            async (group, ct) => await store.WriteAsync(group, ct).ConfigureAwait(false)).ConfigureAwait(false);
        return groups.Sum(g => g.Sum(b => b.Points.Count)) / clock.Elapsed.TotalSeconds;
    }

    private static async Task<double> SqliteAsync(List<SeriesBatch[]> groups, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("eqiot-bench-influx-sqlite-").FullName;
        try
        {
            await using var store = SqliteSeriesStore.ForDataDirectory(directory, NullLogger<SqliteSeriesStore>.Instance);
            await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
            var clock = Stopwatch.StartNew();
            foreach (var group in groups) await store.WriteAsync(group, cancellationToken).ConfigureAwait(false);
            return groups.Sum(g => g.Sum(b => b.Points.Count)) / clock.Elapsed.TotalSeconds;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task YearAsync(InfluxServer server, int series, int repeats, CancellationToken cancellationToken)
    {
        await using var store = InfluxSeriesStore.Create(new InfluxOptions { Url = server.Uri, Database = "year" }, NullLoggerFactory.Instance);
        await store.InitializeAsync(cancellationToken).ConfigureAwait(false);
        var now = SystemClock.Instance.GetCurrentInstant();
        var start = Instant.FromUnixTimeMilliseconds((now - Duration.FromDays(365)).ToUnixTimeMilliseconds() / 3_600_000 * 3_600_000);
        var random = new Random(365);
        var fill = Stopwatch.StartNew();
        long written = 0, batchId = 0;
        for (var day = 0; day < 365; day++)
        {
            var batches = new List<SeriesBatch>();
            for (var s = 0; s < series; s++)
            {
                var points = new MetricPoint[1440];
                for (var m = 0; m < 1440; m++)
                {
                    points[m] = new MetricPoint($"mr-{s:00}", "helium_level", "%", start + Duration.FromMinutes((day * 1440) + m), Math.Round(60 + random.NextDouble() * 20, 2),
                        m % 97 == 96 ? MetricQuality.Bad : MetricQuality.Good);
                }
                batches.Add(new SeriesBatch(++batchId, "agent-01", points));
            }
            await store.WriteAsync(batches, cancellationToken).ConfigureAwait(false);
            written += 1440L * series;
        }
        Print($"(d) a year of 1-minute data, {series} series: {written:N0} points written through the store (late: rollups by the store) in {fill.Elapsed.TotalSeconds:0.0} s");

        var hourly = new List<double>();
        var latest = new List<double>();
        var returned = 0;
        for (var i = 0; i < repeats; i++)
        {
            var clock = Stopwatch.StartNew();
            returned = (await store.QueryAsync(new SeriesQuery($"mr-{i % series:00}", "helium_level", start, now, Duration.FromHours(1)), cancellationToken).ConfigureAwait(false)).Count;
            hourly.Add(clock.Elapsed.TotalMilliseconds);
            clock.Restart();
            var values = await store.LatestAsync(null, cancellationToken).ConfigureAwait(false);
            latest.Add(clock.Elapsed.TotalMilliseconds);
            if (values.Count != series) throw new InvalidOperationException($"LatestAsync returned {values.Count} series, expected {series}");
        }
        Print($"    mean per hour over a year, one metric ({returned:N0} buckets): p50 {Percentile(hourly, 0.5):0.0} ms, p95 {Percentile(hourly, 0.95):0.0} ms  target <= 200 ms: {(Percentile(hourly, 0.95) <= 200 ? "PASS" : "FAIL")}");
        Print($"    last value per device (LatestAsync, all devices): p50 {Percentile(latest, 0.5):0.0} ms, p95 {Percentile(latest, 0.95):0.0} ms  target <= 200 ms: {(Percentile(latest, 0.95) <= 200 ? "PASS" : "FAIL")}");
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
    }

    private static void Print(string line) => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{line}"));
}
