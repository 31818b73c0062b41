using System.Runtime.Versioning;
using System.Diagnostics;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Storage.Sqlite;
using EquipmentIoT.Protocols.Telemetry.Model;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;

namespace EquipmentIoT.Bench.CloudStore;

/// <summary>Latencies of one kind of query.</summary>
internal sealed record QueryLatency(string Label, int Repeats, long PointsReturned, TimeSpan P50, TimeSpan P95, TimeSpan Max);

/// <summary>
/// (c) A year (or <c>--year-days</c>) of 1 Hz readings of one metric, written through the series store as
/// one-hour batches (a day per transaction, so the chunks and rollups are the store's own), then queries at
/// seeded random offsets that are not aligned to any bucket (as "now − 30 days" is not): the edges are read
/// from the finer tiers.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class YearQueryRun
{
    public const string Device = "mr-year";
    public const string Metric = "helium_level";
    public static readonly Instant Start = Instant.FromUtc(2025, 1, 1, 0, 0);

    public static async Task<Rate> FillAsync(string directory, int days, CancellationToken cancellationToken)
    {
        await using var series = SqliteSeriesStore.ForDataDirectory(directory, NullLogger<SqliteSeriesStore>.Instance);
        var random = new Random(2025);
        var begin = Stopwatch.GetTimestamp();
        long batchId = 0;
        for (var day = 0; day < days; day++)
        {
            var batches = new SeriesBatch[24];
            for (var hour = 0; hour < 24; hour++)
            {
                var points = new MetricPoint[3600];
                var t0 = Start + Duration.FromHours(day * 24 + hour);
                for (var s = 0; s < points.Length; s++)
                {
                    var value = 70 - (day * 86400 + hour * 3600 + s) * 1e-7 + random.NextDouble() * 0.05;
                    points[s] = new MetricPoint(Device, Metric, "%", t0 + Duration.FromSeconds(s), Math.Round(value, 4));
                }
                batches[hour] = new SeriesBatch(++batchId, "agent-year", points);
            }
            await series.WriteAsync(batches, cancellationToken).ConfigureAwait(false);
        }
        return new Rate(batchId, batchId * 3600, Stopwatch.GetElapsedTime(begin));
    }

    public static async Task<List<QueryLatency>> QueryAsync(string directory, int days, int repeats, CancellationToken cancellationToken)
    {
        await using var series = SqliteSeriesStore.ForDataDirectory(directory, NullLogger<SqliteSeriesStore>.Instance);
        var random = new Random(7);
        Duration Offset(int maxDays) => Duration.FromDays(random.Next(0, Math.Max(1, maxDays))) + Duration.FromSeconds(random.Next(0, 86_400));
        var month = Math.Min(30, days);
        return
        [
            await MeasureAsync(series, "day, raw points", repeats, () => Query(Offset(days - 1), Duration.FromDays(1), null), cancellationToken).ConfigureAwait(false),
            await MeasureAsync(series, "day, step 1 min", repeats, () => Query(Offset(days - 1), Duration.FromDays(1), Duration.FromMinutes(1)), cancellationToken).ConfigureAwait(false),
            await MeasureAsync(series, $"{month} days, step 1 h", repeats, () => Query(Offset(days - month), Duration.FromDays(month), Duration.FromHours(1)), cancellationToken).ConfigureAwait(false),
            await MeasureAsync(series, $"{days} days, step 1 day", repeats, () => Query(Duration.FromSeconds(random.Next(0, 86_400)), Duration.FromDays(days), Duration.FromDays(1)), cancellationToken).ConfigureAwait(false),
            await MeasureAsync(series, $"{days} days, step 1 h", repeats, () => Query(Duration.FromSeconds(random.Next(0, 86_400)), Duration.FromDays(days), Duration.FromHours(1)), cancellationToken).ConfigureAwait(false),
        ];
    }

    private static SeriesQuery Query(Duration offset, Duration length, Duration? step) =>
        new(Device, Metric, Start + offset, Start + offset + length, step, SeriesAggregate.Mean, Limit: 100_000);

    private static async Task<QueryLatency> MeasureAsync(SqliteSeriesStore series, string label, int repeats, Func<SeriesQuery> next,
        CancellationToken cancellationToken)
    {
        await series.QueryAsync(next(), cancellationToken).ConfigureAwait(false);
        var times = new List<TimeSpan>(repeats);
        long returned = 0;
        for (var i = 0; i < repeats; i++)
        {
            var query = next();
            var start = Stopwatch.GetTimestamp();
            var points = await series.QueryAsync(query, cancellationToken).ConfigureAwait(false);
            times.Add(Stopwatch.GetElapsedTime(start));
            if (points.Count == 0) throw new InvalidOperationException($"{label}: the query returned nothing");
            returned += points.Count;
        }
        times.Sort();
        return new QueryLatency(label, repeats, returned / repeats, Percentile(times, 0.50), Percentile(times, 0.95), times[^1]);
    }

    private static TimeSpan Percentile(List<TimeSpan> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
