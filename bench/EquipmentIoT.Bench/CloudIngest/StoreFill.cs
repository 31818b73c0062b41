using System.Diagnostics;
using System.Threading.Channels;
using System.Runtime.Versioning;
using EquipmentIoT.Cloud.Storage;

namespace EquipmentIoT.Bench.CloudIngest;

/// <summary>What filling the data directory took.</summary>
/// <param name="Seal">Time spent taking the next batch from the source (sealing it, for the demo load; one thread, a chain is sequential).</param>
/// <param name="Ledger">Time spent in ITelemetryLedger.IngestAsync and MarkSeriesWrittenAsync.</param>
/// <param name="Series">Time spent in ISeriesStore.WriteAsync.</param>
/// <param name="Wall">From the first batch taken to the last commit (taking batches overlaps the writes).</param>
internal sealed record FillResult(long Batches, long MetricsBatches, long Points, long Events, long JwsBytes, TimeSpan Seal, TimeSpan Ledger,
    TimeSpan Series, TimeSpan Wall);

/// <summary>
/// Writes verified batches straight into the stores, as ingestion's group committer does but without MQTT and
/// without the registry's last-seen updates: groups of N batches through <see cref="ITelemetryLedger.IngestAsync"/>, the points of the
/// stored ones through <see cref="ISeriesStore.WriteAsync"/>, then <see cref="ITelemetryLedger.MarkSeriesWrittenAsync"/>.
/// One thread takes (seals) the next groups while the stores write the current one (a bounded queue of four groups).
/// </summary>
[SupportedOSPlatform("linux")]
internal static class StoreFill
{
    public static async Task<FillResult> RunAsync(BenchStores stores, IEnumerable<IncomingBatch> batches, int groupSize, CancellationToken cancellationToken)
    {
        var wall = Stopwatch.StartNew();
        var queue = Channel.CreateBounded<IncomingBatch[]>(new BoundedChannelOptions(4)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var seal = new Stopwatch();
        var sealing = Task.Run(() => ProduceAsync(batches, groupSize, queue.Writer, seal, stop.Token), stop.Token);
        var ledger = new Stopwatch();
        var series = new Stopwatch();
        long total = 0, metricsBatches = 0, points = 0, events = 0, bytes = 0;
        try
        {
            await foreach (var group in queue.Reader.ReadAllAsync(stop.Token).ConfigureAwait(false))
            {
                ledger.Start();
                var outcomes = await stores.Ledger.IngestAsync(group, stop.Token).ConfigureAwait(false);
                ledger.Stop();
                var written = new List<SeriesBatch>(group.Length);
                var ids = new List<long>(group.Length);
                for (var i = 0; i < group.Length; i++)
                {
                    var batch = group[i].Batch;
                    if (outcomes[i] is not { Disposition: IngestDisposition.Stored, BatchId: { } id })
                        throw new InvalidOperationException($"the ledger did not store {batch.Stream} seq {batch.Seq}: {outcomes[i].Disposition} {outcomes[i].Detail}");
                    ids.Add(id);
                    if (batch.Metrics.Count > 0) written.Add(new SeriesBatch(id, batch.Agent, batch.Metrics));
                    metricsBatches += batch.Metrics.Count > 0 ? 1 : 0;
                    points += batch.Metrics.Count;
                    events += batch.Events.Count;
                    bytes += group[i].Jws.Length;
                }

                series.Start();
                await stores.Series.WriteAsync(written, stop.Token).ConfigureAwait(false);
                series.Stop();
                ledger.Start();
                await stores.Ledger.MarkSeriesWrittenAsync(ids, stop.Token).ConfigureAwait(false);
                ledger.Stop();
                total += group.Length;
            }
        }
        catch
        {
            await stop.CancelAsync().ConfigureAwait(false);
            throw;
        }
        finally
        {
            // The sealer's own failure surfaces here; after a failure of ours it ends cancelled.
            try
            {
                await sealing.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                // Stopped because the writes failed: that error is the one reported.
            }
        }

        return new FillResult(total, metricsBatches, points, events, bytes, seal.Elapsed, ledger.Elapsed, series.Elapsed, wall.Elapsed);
    }

    private static async Task ProduceAsync(IEnumerable<IncomingBatch> batches, int groupSize, ChannelWriter<IncomingBatch[]> queue, Stopwatch seal,
        CancellationToken cancellationToken)
    {
        try
        {
            var group = new List<IncomingBatch>(groupSize);
            using var source = batches.GetEnumerator();
            while (true)
            {
                seal.Start();
                var more = source.MoveNext();
                seal.Stop();
                if (more) group.Add(source.Current);
                if (group.Count == groupSize || (!more && group.Count > 0))
                {
                    await queue.WriteAsync([.. group], cancellationToken).ConfigureAwait(false);
                    group.Clear();
                }

                if (!more) break;
            }

            queue.Complete();
        }
        catch (Exception ex)
        {
            queue.Complete(ex);
            throw;
        }
    }
}
