using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Protocols.Telemetry.Model;
using NodaTime;

namespace EquipmentIoT.Bench.Ui;

/// <summary>
/// Every metric of every device at 1-minute resolution from <c>start</c> for N days, written through <see cref="ISeriesStore.WriteAsync"/>
/// as ingestion writes it: one batch per device and hour (its metrics' 60 points each), one call per day of the whole fleet. The SQLite
/// store builds its 1-minute and 1-hour rollups in the same transaction, so nothing else has to run. The next day is generated while
/// the store writes the last.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class YearSeries
{
    private const int MinutesPerDay = 24 * 60;

    /// <summary>Writes the points; returns how many. Batch ids start at <paramref name="firstBatchId"/>.</summary>
    public static async Task<long> WriteAsync(ISeriesStore series, IReadOnlyList<BenchDevice> devices, Instant start, int days, long firstBatchId,
        CancellationToken cancellationToken)
    {
        var random = new Random(20261202);
        var batchId = firstBatchId;
        long points = 0;
        Task pending = Task.CompletedTask;
        for (var day = 0; day < days; day++)
        {
            var batches = new List<SeriesBatch>(devices.Count * 24);
            foreach (var device in devices)
            {
                for (var hour = 0; hour < 24; hour++)
                {
                    var list = new List<MetricPoint>(device.Metrics.Count * 60);
                    for (var minute = hour * 60; minute < (hour + 1) * 60; minute++)
                    {
                        var at = start + Duration.FromMinutes(((long)day * MinutesPerDay) + minute);
                        foreach (var metric in device.Metrics) list.Add(new MetricPoint(device.Id, metric.Name, metric.Unit, at, ValueOf(metric, day, minute, random)));
                    }
                    points += list.Count;
                    batches.Add(new SeriesBatch(batchId++, device.Agent, list));
                }
            }
            await pending.ConfigureAwait(false);
            pending = series.WriteAsync(batches, cancellationToken);
        }
        await pending.ConfigureAwait(false);
        return points;
    }

    // A daily sine, noise, and for the helium level a slow loss with a refill every 60 days.
    private static double ValueOf(BenchMetric metric, int day, int minute, Random random)
    {
        var value = metric.Level + (metric.Swing * Math.Sin(2 * Math.PI * minute / MinutesPerDay)) + (metric.Noise * ((random.NextDouble() * 2) - 1));
        if (metric.Name == "helium_level") value -= 0.05 * ((day % 60) + (minute / (double)MinutesPerDay));
        return Math.Round(value, 4);
    }
}
