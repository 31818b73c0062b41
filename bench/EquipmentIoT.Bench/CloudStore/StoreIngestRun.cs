using System.Diagnostics;
using System.Globalization;
using System.Runtime.Versioning;
using System.Threading.Channels;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Storage.Sqlite;
using EquipmentIoT.Protocols.Telemetry;
using EquipmentIoT.Protocols.Telemetry.Jose;
using Microsoft.Extensions.Logging.Abstractions;

namespace EquipmentIoT.Bench.CloudStore;

/// <summary>A measured rate.</summary>
internal sealed record Rate(long Batches, long Points, TimeSpan Elapsed)
{
    /// <summary>Processor time of the whole process meanwhile (all threads): what the figure costs on a shared machine.</summary>
    public TimeSpan Cpu { get; init; }

    /// <summary>Where the time went, when measured in parts ("ledger 4.1 s, series 2.0 s, mark 0.3 s").</summary>
    public string? Parts { get; init; }

    public double BatchesPerSecond => Batches / Elapsed.TotalSeconds;
    public double PointsPerSecond => Points / Elapsed.TotalSeconds;
}

/// <summary>
/// (a) What one ingestion instance's store path does per group of verified batches: ledger (one transaction:
/// chain decisions, JWS, counters), series store (one transaction: chunks and rollups), the "series written"
/// mark (one transaction). Sequential, or pipelined: the ledger takes group k+1 while the series store writes
/// group k (two files, two writers). Also the single-core verify+read rate of the same batches, for scale.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class StoreIngestRun
{
    private sealed record Group(List<IncomingBatch> Batches, List<SeriesBatch> Stored);

    public static async Task<Rate> RunAsync(string directory, List<IncomingBatch> batches, int group, bool pipelined, CancellationToken cancellationToken)
    {
        await using var ledger = SqliteTelemetryLedger.ForDataDirectory(directory, NullLogger<SqliteTelemetryLedger>.Instance);
        await using var series = SqliteSeriesStore.ForDataDirectory(directory, NullLogger<SqliteSeriesStore>.Instance);
        await ledger.InitializeAsync(cancellationToken).ConfigureAwait(false);
        await series.InitializeAsync(cancellationToken).ConfigureAwait(false);

        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var start = Stopwatch.GetTimestamp();
        var times = new double[6];
        var groups = Channel.CreateBounded<Group>(new BoundedChannelOptions(2) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true, SingleWriter = true });
        var seriesStage = Task.Run(async () =>
        {
            await foreach (var g in groups.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                await WriteSeriesAsync(ledger, series, g, times, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);
        try
        {
            for (var i = 0; i < batches.Count; i += group)
            {
                var slice = batches.GetRange(i, Math.Min(group, batches.Count - i));
                var step = Stopwatch.GetTimestamp();
                var stepCpu = Process.GetCurrentProcess().TotalProcessorTime;
                var outcomes = await ledger.IngestAsync(slice, cancellationToken).ConfigureAwait(false);
                times[0] += Stopwatch.GetElapsedTime(step).TotalSeconds;
                times[3] += (Process.GetCurrentProcess().TotalProcessorTime - stepCpu).TotalSeconds;
                var stored = new List<SeriesBatch>(slice.Count);
                for (var k = 0; k < slice.Count; k++)
                {
                    if (outcomes[k].Disposition != IngestDisposition.Stored)
                        throw new InvalidOperationException($"batch {slice[k].Batch.Agent}/{slice[k].Batch.Seq} was {outcomes[k].Disposition}, not stored");
                    stored.Add(new SeriesBatch(outcomes[k].BatchId!.Value, slice[k].Batch.Agent, slice[k].Batch.Metrics));
                }
                if (pipelined) await groups.Writer.WriteAsync(new Group(slice, stored), cancellationToken).ConfigureAwait(false);
                else await WriteSeriesAsync(ledger, series, new Group(slice, stored), times, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            groups.Writer.Complete();
        }
        await seriesStage.ConfigureAwait(false);
        var elapsed = Stopwatch.GetElapsedTime(start);
        if (await ledger.CountBatchesAsync(cancellationToken).ConfigureAwait(false) != batches.Count)
            throw new InvalidOperationException("the ledger does not hold every batch");
        if ((await ledger.SeriesPendingAsync(1, cancellationToken).ConfigureAwait(false)).Count != 0)
            throw new InvalidOperationException("a batch is still marked series pending");
        return new Rate(batches.Count, batches.Sum(b => (long)b.Batch.Metrics.Count), elapsed)
        {
            Cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu,
            Parts = string.Create(CultureInfo.InvariantCulture, $"in ledger {times[0]:0.00} s ({times[3]:0.0} cpu), series {times[1]:0.00} s ({times[4]:0.0} cpu), mark {times[2]:0.00} s ({times[5]:0.0} cpu)"),
        };
    }

    /// <summary>TelemetryEnvelope.Open (ES256 verify + strict read) of up to <paramref name="max"/> batches on this thread.</summary>
    public static Rate VerifyAndRead(SealedFleet fleet, int max)
    {
        var verifier = new JwsVerifier(kid => fleet.Verifier.GetValueOrDefault(kid));
        var sample = fleet.Batches.Take(max).ToList();
        foreach (var b in sample.Take(50)) TelemetryEnvelope.Open(b.Jws.Span, verifier, b.Batch.Agent);
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var start = Stopwatch.GetTimestamp();
        long points = 0;
        foreach (var b in sample)
        {
            var opened = TelemetryEnvelope.Open(b.Jws.Span, verifier, b.Batch.Agent);
            if (!opened.Success) throw new InvalidOperationException("a sealed batch did not verify: " + opened.Error);
            points += opened.Value.Batch.Metrics.Count;
        }
        return new Rate(sample.Count, points, Stopwatch.GetElapsedTime(start)) { Cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu };
    }

    private static async Task WriteSeriesAsync(SqliteTelemetryLedger ledger, SqliteSeriesStore series, Group g, double[] times,
        CancellationToken cancellationToken)
    {
        var step = Stopwatch.GetTimestamp();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        await series.WriteAsync(g.Stored, cancellationToken).ConfigureAwait(false);
        times[1] += Stopwatch.GetElapsedTime(step).TotalSeconds;
        times[4] += (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        step = Stopwatch.GetTimestamp();
        cpu = Process.GetCurrentProcess().TotalProcessorTime;
        await ledger.MarkSeriesWrittenAsync([.. g.Stored.Select(s => s.BatchId)], cancellationToken).ConfigureAwait(false);
        times[2] += Stopwatch.GetElapsedTime(step).TotalSeconds;
        times[5] += (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
    }
}
