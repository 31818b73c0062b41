using System.Diagnostics.CodeAnalysis;
using System.Runtime;
using System.Runtime.Versioning;
using EquipmentIoT.Cloud.Ingestion;
using EquipmentIoT.Protocols.Telemetry.Topics;
using EquipmentIoT.Testing;
using NodaTime;
using static EquipmentIoT.Bench.CloudIngest.CloudBenchText;

namespace EquipmentIoT.Bench.CloudIngest;

/// <summary>
/// <c>eqiot-bench cloud-ingest</c>: the cloud's sustained verified ingest rate through mosquitto (the issue's
/// item 9), with mosquitto's own delivery rate for the same messages as the reference. Target: at least
/// 250,000 points/s verified and stored on SQLite. A measurement: exits 0 whatever the rate when every check
/// passed, 1 when a step or a check failed, 2 on a bad command line.
/// </summary>
internal static class CloudIngestCommand
{
    public const double TargetPointsPerSecond = 250_000;

    [SuppressMessage("Interoperability", "CA1416", Justification = "CloudBench.RunAsync calls it on Linux only")]
    public static Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken) =>
        CloudBench.RunAsync<CloudIngestOptions>("cloud-ingest", args, RunAllAsync, cancellationToken);

    [SupportedOSPlatform("linux")]
    private static async Task<int> RunAllAsync(CloudIngestOptions o, string root, CancellationToken cancellationToken)
    {
        // Generous: two minutes plus 0.1 ms per point (10,000 points/s, far below anything seen).
        var timeout = TimeSpan.FromMinutes(2) + TimeSpan.FromMilliseconds(o.TotalPoints / 10.0);
        var dataDirectory = Path.Combine(root, "data");
        var filter = TelemetryTopics.Shared(new IngestionOptions().ShareGroup, TelemetryTopics.AllTelemetry);
        var brokerOptions = new MosquittoOptions
        {
            // The cloud's MQTT pipeline holds MaxPendingAcknowledgements unacknowledged: mosquitto must send that many (IngestionOptions).
            // Unlimited queue: whatever the publishers get ahead of ingestion waits at the broker.
            ExtraConfigLines = [$"max_inflight_messages {o.EffectivePending}", "max_queued_messages 0"],
        };

        Print($"cloud-ingest: {o.Agents} agents x {o.BatchesPerAgent:N0} batches x {o.PointsPerBatch} points = {o.TotalPoints:N0} points in {o.TotalBatches:N0} batches; {o.DevicesPerAgent} devices x {o.MetricsPerDevice} metrics per agent (1 Hz); {Environment.ProcessorCount} cores, {(GCSettings.IsServerGC ? "server" : "workstation")} GC");
        Print($"  publishers: {o.Connections} connections, window {o.Window}, QoS 1; cloud: Ingestion:GroupCommitSize {o.EffectiveGroupCommit}, MaxPendingAcknowledgements {o.EffectivePending}; mosquitto max_inflight_messages {o.EffectivePending}, max_queued_messages 0");
        var fleet = SimulatedFleet.Build(o, SystemClock.Instance.GetCurrentInstant());
        Print($"sealed {fleet.Batches:N0} batches ({Megabytes(fleet.Bytes)} of JWS, {fleet.Bytes / fleet.Batches:N0} B/batch, {(double)fleet.Bytes / fleet.Points:0.0} B/point) in {fleet.SealTime.TotalSeconds:0.0} s, before the clock");

        await using (var stores = await BenchStores.OpenAsync(dataDirectory, cancellationToken).ConfigureAwait(false))
        {
            foreach (var agent in fleet.Agents) await stores.RegisterAsync(agent.Id, agent.PublicKeyPem, cancellationToken).ConfigureAwait(false);
        }

        CloudIngestResult cloud;
        await using (var broker = await MosquittoBroker.StartAsync(brokerOptions, cancellationToken).ConfigureAwait(false))
        {
            await using var running = await InProcessCloud.StartAsync(dataDirectory, broker, o.EffectiveGroupCommit, o.EffectivePending, cancellationToken)
                .ConfigureAwait(false);
            cloud = await CloudIngestRun.RunAsync(broker, running, fleet, o, timeout, cancellationToken).ConfigureAwait(false);
        }

        var passed = Report(cloud, fleet);
        if (o.Reference)
        {
            Print($"");
            Print($"reference: a fresh mosquitto configured the same, the same {fleet.Batches:N0} messages from the same publishers, a subscriber on {filter} at QoS 1 that only counts");
            foreach (var kind in new[] { ReferenceSubscriber.MqttClient, ReferenceSubscriber.MosquittoSub })
            {
                var reference = await ReferenceDeliveryRun.RunAsync(kind, brokerOptions, filter, fleet, o, timeout, cancellationToken).ConfigureAwait(false);
                passed &= ReportReference(reference, fleet, cloud, o);
            }
        }

        if (o.Profile)
        {
            var profile = await CloudIngestProfile.RunAsync(fleet, o, Path.Combine(root, "profile"), cancellationToken).ConfigureAwait(false);
            ReportProfile(profile, fleet, o);
        }

        return passed ? 0 : 1;
    }

    [SupportedOSPlatform("linux")]
    private static bool Report(CloudIngestResult r, SimulatedFleet fleet)
    {
        var m = r.Metrics;
        Print($"");
        Print($"cloud (in-process CloudHost, SQLite): clock from the first publish");
        Rate("  all published (every PUBACK from mosquitto)", r.Published, fleet.Batches, fleet.Points);
        Rate("  all verified and stored (ledger + series)", r.Stored, fleet.Batches, fleet.Points, TargetPointsPerSecond);
        if (r.Steady > 0) Rate("  steady: 10% to 90% of the batches stored", r.Steady, fleet.Batches * 8 / 10, fleet.Points * 8 / 10, TargetPointsPerSecond);
        else Print($"  steady: too few batches to tell");
        Print($"  group commits: {m.Commits:N0} ({(double)m.BatchesStored / Math.Max(1, m.Commits):0.0} batches each), mean {m.MeanCommitLatency.TotalMilliseconds:0.0} ms, max {m.MaxCommitLatency.TotalMilliseconds:0.0} ms; {m.Commits * m.MeanCommitLatency.TotalSeconds:0.0} s committing in all ({m.Commits * m.MeanCommitLatency.TotalSeconds / r.Stored:P0} of the run)");
        PrintCpu(r.Cpu, r.Stored, "bench process (cloud + publishers)");
        Print($"checks:");
        var ok = Check("ledger holds every batch", r.LedgerBatches == fleet.Batches, $"{r.LedgerBatches:N0} of {fleet.Batches:N0}");
        ok &= Check("nothing quarantined", m.QuarantinedTotal == 0 && r.QuarantineRows == 0, $"metrics {m.QuarantinedTotal}, ledger rows {r.QuarantineRows}");
        ok &= Check("series hold every point", r.SeriesPoints == fleet.Points, $"{r.SeriesPoints:N0} of {fleet.Points:N0} in {r.Series:N0} series");
        ok &= Check("no duplicates, gaps or failed commits", m.Duplicates == 0 && m.GapsOpened == 0 && m.CommitFailures == 0,
            $"duplicates {m.Duplicates}, gaps {m.GapsOpened}, failed commits {m.CommitFailures}");
        return ok;
    }

    [SupportedOSPlatform("linux")]
    private static bool ReportReference(ReferenceResult r, SimulatedFleet fleet, CloudIngestResult cloud, CloudIngestOptions o)
    {
        var label = r.Subscriber == ReferenceSubscriber.MqttClient
            ? $"our MqttClient (MaxPendingAcknowledgements {o.EffectivePending}), counting"
            : $"mosquitto_sub -q 1 -C {fleet.Batches}";
        Print($"  {label}:");
        Rate("    all published (every PUBACK from mosquitto)", r.Published, fleet.Batches, fleet.Points);
        if (r.Delivered < fleet.Batches || double.IsNaN(r.Received))
        {
            Print($"    only {r.Delivered:N0} of {fleet.Batches:N0} messages arrived");
            return false;
        }

        Rate("    all delivered", r.Received, fleet.Batches, fleet.Points);
        PrintCpu(r.Cpu, r.Received, "bench process (publishers + subscriber)");
        Print($"    cloud stored at {r.Received / cloud.Stored:P0} of this delivery rate");
        return true;
    }

    private static void ReportProfile(IngestProfile p, SimulatedFleet fleet, CloudIngestOptions o)
    {
        var s = p.Stores;
        Print($"");
        Print($"where the time goes (--profile): the same batches without MQTT, a fresh data directory");
        Rate("  TelemetryClassifier alone (verify, read; 1 thread)", p.Classify.TotalSeconds, fleet.Batches, fleet.Points);
        Rate($"  stores alone, groups of {o.EffectiveGroupCommit} (ledger + series)", s.Wall.TotalSeconds, s.Batches, s.Points);
        Rate("    ledger: IngestAsync + MarkSeriesWrittenAsync", s.Ledger.TotalSeconds, s.Batches, s.Points);
        Rate("    series: WriteAsync", s.Series.TotalSeconds, s.Batches, s.Points);
        Rate("    registry: TouchAsync, one per agent per group", s.Registry.TotalSeconds, s.Batches, s.Points);
    }

    private static void PrintCpu(CpuUse cpu, double seconds, string what)
    {
        var broker = cpu.BrokerSeconds is { } b ? $"{b:0.0} s ({b / seconds:0.00} cores)" : "n/a";
        Print($"    CPU: {what} {cpu.BenchSeconds:0.0} s ({cpu.BenchSeconds / seconds:0.00} cores), mosquitto {broker}");
    }
}
