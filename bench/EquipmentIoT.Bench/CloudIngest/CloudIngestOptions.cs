namespace EquipmentIoT.Bench.CloudIngest;

/// <summary>Options of <c>eqiot-bench cloud-ingest</c>.</summary>
internal sealed class CloudIngestOptions : ICloudBenchOptions<CloudIngestOptions>
{
    public const string Help = """
          eqiot-bench cloud-ingest [--agents 50] [--points-per-batch 500] [--batches-per-agent 200] [options]
            the cloud's sustained ingest rate: simulated agents (own P-256 keys, registered; chains of metrics
            batches sealed in advance) publish at QoS 1 through a fresh local mosquitto to the cloud, run
            in-process (CloudHost, SQLite in a temp data directory); clock from the first publish until the
            ledger has stored every batch, then checked (ledger count, no quarantine, series point count).
            For reference, the same messages are published the same way to a fresh mosquitto and counted by a
            subscriber on the same shared subscription (our MqttClient, then mosquitto_sub -C).
            --agents N              simulated agents (50)
            --points-per-batch N    metric points per sealed batch (500)
            --batches-per-agent N   batches each agent publishes (200: 5,000,000 points with the defaults)
            --devices-per-agent N   devices of each agent (2)
            --metrics-per-device N  metrics of each device, read once a second (10); a batch holds one chunk per series
            --connections N         publisher connections; agents are spread over them round-robin (= agents)
            --window N              publisher in-flight window, MaxInflight of each connection (64)
            --group-commit N        Ingestion:GroupCommitSize (the cloud's default, 1024)
            --pending N             Ingestion:MaxPendingAcknowledgements, also the broker's max_inflight_messages
                                    and the reference subscriber's (the cloud's default, 2048)
            --no-reference          skip the mosquitto reference runs
            --profile               then time the cloud's stages alone on the same batches, without MQTT: its
                                    TelemetryClassifier on one thread, and the ledger and series writes in groups
            --dir DIR               where to put the data directory (a new directory under the temp directory); removed after
            --keep                  keep it
        """;

    public static string HelpText => Help;

    /// <summary>The cloud's own defaults (IngestionOptions), used when the options do not override them.</summary>
    public const int CloudGroupCommitSize = 1024;
    public const int CloudMaxPendingAcknowledgements = 2048;

    public int Agents { get; private set; } = 50;
    public int PointsPerBatch { get; private set; } = 500;
    public int BatchesPerAgent { get; private set; } = 200;
    public int DevicesPerAgent { get; private set; } = 2;
    public int MetricsPerDevice { get; private set; } = 10;
    public int? ConnectionsOverride { get; private set; }
    public int Window { get; private set; } = 64;
    public int? GroupCommitSize { get; private set; }
    public int? PendingAcknowledgements { get; private set; }
    public bool Reference { get; private set; } = true;
    public bool Profile { get; private set; }
    public string? Directory { get; private set; }
    public bool Keep { get; private set; }
    public bool ShowHelp { get; private set; }

    public int Connections => Math.Min(ConnectionsOverride ?? Agents, Agents);
    public int SeriesPerAgent => DevicesPerAgent * MetricsPerDevice;
    public long TotalBatches => (long)Agents * BatchesPerAgent;
    public long TotalPoints => TotalBatches * PointsPerBatch;
    public int EffectivePending => PendingAcknowledgements ?? CloudMaxPendingAcknowledgements;
    public int EffectiveGroupCommit => GroupCommitSize ?? CloudGroupCommitSize;

    /// <exception cref="CommandLineException">An option is unknown or has a bad value.</exception>
    public static CloudIngestOptions Parse(IReadOnlyList<string> args)
    {
        var o = new CloudIngestOptions();
        var a = new ArgumentReader(args);
        while (a.TryNext())
        {
            switch (a.Current)
            {
                case "--agents": o.Agents = a.Int(1, 10_000); break;
                // ~120 bytes of JWS per point: 5,000 points stay under the 1 MiB JWS limit.
                case "--points-per-batch": o.PointsPerBatch = a.Int(1, 5_000); break;
                case "--batches-per-agent": o.BatchesPerAgent = a.Int(1, 1_000_000); break;
                case "--devices-per-agent": o.DevicesPerAgent = a.Int(1, 1_000); break;
                case "--metrics-per-device": o.MetricsPerDevice = a.Int(1, 1_000); break;
                case "--connections": o.ConnectionsOverride = a.Int(1, 10_000); break;
                case "--window": o.Window = a.Int(1, 65_000); break;
                case "--group-commit": o.GroupCommitSize = a.Int(1, 10_000); break;
                case "--pending": o.PendingAcknowledgements = a.Int(1, 65_535); break;
                case "--no-reference": o.Reference = false; break;
                case "--profile": o.Profile = true; break;
                case "--dir": o.Directory = a.Value(); break;
                case "--keep": o.Keep = true; break;
                case "--help" or "-h": o.ShowHelp = true; break;
                default: throw a.Unknown();
            }
        }

        // Every message is held in memory, sealed, before the clock starts (~120 bytes of JWS per point).
        if (o.TotalPoints > 50_000_000) throw new CommandLineException($"{o.TotalPoints:N0} points: at most 50,000,000 (all are sealed in memory first)");
        return o;
    }
}
