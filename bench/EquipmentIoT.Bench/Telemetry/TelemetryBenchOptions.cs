namespace EquipmentIoT.Bench.Telemetry;

/// <summary>Options of <c>eqiot-bench telemetry</c>.</summary>
internal sealed class TelemetryBenchOptions
{
    public const string Help = """
          eqiot-bench telemetry [--points-per-batch 200] [--batches 5000] [--warmup 500]
            envelope v1 on one thread: JSON write, write+sign (ES256, as the agent's BatchSealer), seal
            (TelemetryEnvelope.Seal), verify (JwsVerifier) and verify+read (TelemetryEnvelope.Open) of
            realistic metrics batches ("mr-01"/"signal_042"/"Cel"); rates and allocated bytes per batch.
            --points-per-batch N  points per batch (200: what SPEC.md §11 tells agents to seal)
            --batches N           batches per measurement (5,000)
            --warmup N            untimed batches before each measurement, for at least 1 s (500)
        """;

    public int PointsPerBatch { get; private set; } = 200;
    public int Batches { get; private set; } = 5_000;
    public int Warmup { get; private set; } = 500;
    public bool ShowHelp { get; private set; }

    /// <exception cref="CommandLineException">An option is unknown or has a bad value.</exception>
    public static TelemetryBenchOptions Parse(IReadOnlyList<string> args)
    {
        var o = new TelemetryBenchOptions();
        var a = new ArgumentReader(args);
        while (a.TryNext())
        {
            switch (a.Current)
            {
                // ~90 bytes of JSON per point, 4/3 of that as JWS: 5,000 points stay well under the 1 MiB limit (SPEC.md §11).
                case "--points-per-batch": o.PointsPerBatch = a.Int(1, 5_000); break;
                case "--batches": o.Batches = a.Int(1, 10_000_000); break;
                case "--warmup": o.Warmup = a.Int(0, 1_000_000); break;
                case "--help" or "-h": o.ShowHelp = true; break;
                default: throw a.Unknown();
            }
        }

        return o;
    }
}
