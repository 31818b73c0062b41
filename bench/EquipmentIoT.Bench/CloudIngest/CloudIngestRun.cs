using System.Diagnostics;
using System.Runtime.Versioning;
using EquipmentIoT.Cloud.Ingestion;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Testing;

namespace EquipmentIoT.Bench.CloudIngest;

/// <summary>What the cloud did with the load, in seconds from the first publish.</summary>
/// <param name="Published">When every publisher had every PUBACK.</param>
/// <param name="Stored">When the ledger had every batch (IngestionMetrics) and the series store every point.</param>
/// <param name="Steady">From 10 % to 90 % of the batches stored: the sustained rate without ramp-up and tail.</param>
/// <param name="Metrics">The ingestion counters at the end.</param>
/// <param name="Cpu">CPU used from the first publish to the end (the bench process holds the cloud and the publishers).</param>
/// <param name="LedgerBatches">ITelemetryLedger.CountBatchesAsync afterwards.</param>
/// <param name="QuarantineRows">Quarantined rows in the ledger afterwards (at most a few are read).</param>
/// <param name="SeriesPoints">Points of every series in the series store afterwards.</param>
/// <param name="Series">Series in the series store.</param>
[SupportedOSPlatform("linux")]
internal sealed record CloudIngestResult(double Published, double Stored, double Steady, IngestionSnapshot Metrics, CpuUse Cpu,
    long LedgerBatches, int QuarantineRows, long SeriesPoints, int Series);

/// <summary>
/// The timed part of <c>cloud-ingest</c>: publishers connected first, then the clock runs from the first
/// publish until the cloud's <see cref="IngestionMetrics"/> count every batch stored (or quarantined: then the
/// checks fail) and the series store holds every point, polled with bounded waits; then what the stores hold is counted.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class CloudIngestRun
{
    private static readonly TimeSpan SeriesTimeout = TimeSpan.FromSeconds(60);

    public static async Task<CloudIngestResult> RunAsync(MosquittoBroker broker, InProcessCloud cloud, SimulatedFleet fleet, CloudIngestOptions o,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        var total = fleet.Batches;
        await using var publisher = await FleetPublisher.ConnectAsync(broker, fleet, o.Connections, o.Window, cancellationToken).ConfigureAwait(false);
        var cpu = new CpuMeter(broker);
        long at10 = 0, at90 = 0, done = 0;
        var start = Stopwatch.GetTimestamp();
        var publishing = publisher.PublishAllAsync(cancellationToken);
        await Wait.UntilAsync(() =>
        {
            if (publishing.IsFaulted) publishing.GetAwaiter().GetResult(); // a publisher broke: say why
            var m = cloud.Metrics.Snapshot();
            var now = Stopwatch.GetTimestamp();
            if (at10 == 0 && m.BatchesStored * 10 >= total) at10 = now;
            if (at90 == 0 && m.BatchesStored * 10 >= total * 9) at90 = now;
            return m.BatchesStored + m.QuarantinedTotal >= total;
        }, timeout, $"the cloud to store all {total:N0} batches", cancellationToken).ConfigureAwait(false);

        // IngestionMetrics counts a batch stored once the ledger committed it, before its group's points are written
        // to the series store: the clock stops when the series hold every point (one group later at most).
        done = Stopwatch.GetTimestamp();
        if (cloud.Metrics.Snapshot().QuarantinedTotal == 0)
        {
            await Wait.UntilAsync(async ct =>
            {
                var points = (await cloud.Series.SeriesAsync(null, ct).ConfigureAwait(false)).Sum(s => s.Points);
                done = Stopwatch.GetTimestamp();
                return points >= fleet.Points;
            }, SeriesTimeout, $"the series store to hold all {fleet.Points:N0} points", cancellationToken).ConfigureAwait(false);
        }

        var used = cpu.Elapsed();
        var published = await publishing.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        var metrics = cloud.Metrics.Snapshot();
        var ledgerBatches = await cloud.Ledger.CountBatchesAsync(cancellationToken).ConfigureAwait(false);
        var quarantined = await cloud.Ledger.QuarantinedAsync(new QuarantineQuery(Limit: 10), cancellationToken).ConfigureAwait(false);
        var series = await cloud.Series.SeriesAsync(null, cancellationToken).ConfigureAwait(false);
        return new CloudIngestResult(
            Stopwatch.GetElapsedTime(start, published).TotalSeconds,
            Stopwatch.GetElapsedTime(start, done).TotalSeconds,
            Stopwatch.GetElapsedTime(at10, at90).TotalSeconds,
            metrics, used, ledgerBatches, quarantined.Count, series.Sum(s => s.Points), series.Count);
    }
}
