namespace EquipmentIoT.Bench.Drain;

/// <summary>Options of <c>eqiot-bench drain</c>.</summary>
internal sealed class DrainBenchOptions
{
    public const string Help = """
          eqiot-bench drain [--points 1000000] [--points-per-batch 200] [--window 20] [--dir DIR] [--keep]
            the agent's Forwarder + MqttBrokerTransport draining a backlog of sealed batches from a
            DurableBuffer to a fresh local mosquitto at QoS 1: time until the buffer has every batch
            acknowledged (PUBACK) and until a mosquitto_sub subscriber has received every batch; then, for
            reference, mosquitto_pub -l -q 1 -M WINDOW sending the same JWS lines to the same broker.
            --points N            points in the backlog (1,000,000)
            --points-per-batch N  points per sealed batch (200)
            --window N            MQTT in-flight window (Agent:Transport:Mqtt:MaxInflight and mosquitto_pub -M) (20)
            --dir DIR             where to put the buffer (a new directory under the temp directory); removed after
            --keep                keep the buffer directory
        """;

    public long Points { get; private set; } = 1_000_000;
    public int PointsPerBatch { get; private set; } = 200;
    public int Window { get; private set; } = 20;
    public string? Directory { get; private set; }
    public bool Keep { get; private set; }
    public bool ShowHelp { get; private set; }

    public long Batches => (Points + PointsPerBatch - 1) / PointsPerBatch;

    /// <exception cref="CommandLineException">An option is unknown or has a bad value.</exception>
    public static DrainBenchOptions Parse(IReadOnlyList<string> args)
    {
        var o = new DrainBenchOptions();
        var a = new ArgumentReader(args);
        while (a.TryNext())
        {
            switch (a.Current)
            {
                case "--points": o.Points = a.Long(1, 100_000_000); break;
                // ~120 bytes of JWS per point: 5,000 points stay under the 1 MiB record and JWS limits.
                case "--points-per-batch": o.PointsPerBatch = a.Int(1, 5_000); break;
                // mosquitto_pub -M and the MQTT packet ids: at most 65,535 unacknowledged.
                case "--window": o.Window = a.Int(1, 65_535); break;
                case "--dir": o.Directory = a.Value(); break;
                case "--keep": o.Keep = true; break;
                case "--help" or "-h": o.ShowHelp = true; break;
                default: throw a.Unknown();
            }
        }

        // mosquitto_pub 2.0 -l at QoS 1 queues all of stdin and fails once its packet ids wrap (see eqiot-bench mqtt).
        if (o.Batches > 60_000) throw new CommandLineException($"{o.Batches:N0} batches: the mosquitto_pub reference run breaks beyond 60,000; use bigger batches");
        return o;
    }
}
