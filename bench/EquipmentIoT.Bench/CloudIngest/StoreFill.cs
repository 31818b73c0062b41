using System.Diagnostics;
using System.Threading.Channels;
using System.Runtime.Versioning;
using EquipmentIoT.Cloud.Storage;
using NodaTime;

namespace EquipmentIoT.Bench.CloudIngest;

/// <summary>What filling the data directory took.</summary>
/// <param name="Seal">Time spent taking the next batch from the source (sealing it, for the demo load; one thread, a chain is sequential).</param>
/// <param name="Ledger">Time spent in ITelemetryLedger.IngestAsync and MarkSeriesWrittenAsync.</param>
/// <param name="Series">Time spent in ISeriesStore.WriteAsync.</param>
/// <param name="Registry">Time spent in IRegistryStore.TouchAsync (one call per agent per group, as the group committer makes them).</param>
/// <param name="Wall">From the first batch taken to the last commit (taking batches overlaps the writes).</param>
internal sealed record FillResult(long Batches, long MetricsBatches, long Points, long Events, long JwsBytes, TimeSpan Seal, TimeSpan Ledger,
    TimeSpan Series, TimeSpan Registry, TimeSpan Wall);

/// <summary>
/// Writes verified batches straight into the stores with the calls ingestion's group committer makes
/// (GroupCommitter.CommitGroupAsync), without MQTT: groups of N batches through <see cref="ITelemetryLedger.IngestAsync"/>,
/// the points of the stored ones through <see cref="ISeriesStore.WriteAsync"/>, <see cref="ITelemetryLedger.MarkSeriesWrittenAsync"/>,
/// then <see cref="IRegistryStore.TouchAsync"/> for each agent of the group with the devices it sent.
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
        var registry = new Stopwatch();
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
                var seen = new Dictionary<string, (HashSet<string> Devices, Instant At)>(StringComparer.Ordinal);
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
                    Note(seen, group[i]);
                }

                series.Start();
                await stores.Series.WriteAsync(written, stop.Token).ConfigureAwait(false);
                series.Stop();
                ledger.Start();
                await stores.Ledger.MarkSeriesWrittenAsync(ids, stop.Token).ConfigureAwait(false);
                ledger.Stop();
                registry.Start();
                foreach (var (agent, (devices, at)) in seen) await stores.Registry.TouchAsync(agent, devices, at, stop.Token).ConfigureAwait(false);
                registry.Stop();
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

        return new FillResult(total, metricsBatches, points, events, bytes, seal.Elapsed, ledger.Elapsed, series.Elapsed, registry.Elapsed, wall.Elapsed);
    }

    /// <summary>The devices each agent sent data for in the group, and when its newest batch was received.</summary>
    private static void Note(Dictionary<string, (HashSet<string> Devices, Instant At)> seen, IncomingBatch incoming)
    {
        var batch = incoming.Batch;
        if (!seen.TryGetValue(batch.Agent, out var entry)) entry = (new HashSet<string>(StringComparer.Ordinal), incoming.Received);
        seen[batch.Agent] = entry = (entry.Devices, Instant.Max(entry.At, incoming.Received));
        foreach (var m in batch.Metrics) entry.Devices.Add(m.Device);
        foreach (var e in batch.Events) entry.Devices.Add(e.Device);
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
