namespace EquipmentIoT.Bench.Buffer;

/// <summary>Options of <c>eqiot-bench buffer</c>.</summary>
internal sealed class BufferBenchOptions
{
    public const string Help = """
          eqiot-bench buffer [--points-per-batch 200] [--batches 20000] [--producers 4] [--dir DIR] [options]
            the edge agent's durable store-and-forward buffer on this disk: raw fsync rate (4 KiB write +
            fsync), durable appends (fsync before completion, group commit) with 1 and with N producers,
            then reopen (recovery) and drain (read next + acknowledge) of a backlog.
            --points-per-batch N  points per batch; a batch is N × 92 bytes of JWS-like ASCII (200)
            --batches N           batches appended by the N-producer run (20,000)
            --producers N         concurrent producers of that run (4)
            --single-batches N    batches of the one-producer run, one fsync each (2,000)
            --backlog-points N    points drained after reopening (1,000,000)
            --dir DIR             where to put the buffer (a new directory under the temp directory); removed after
            --keep                keep the buffer directory
        """;

    public const int BytesPerPoint = 92;

    public int PointsPerBatch { get; private set; } = 200;
    public long Batches { get; private set; } = 20_000;
    public int Producers { get; private set; } = 4;
    public long SingleBatches { get; private set; } = 2_000;
    public long BacklogPoints { get; private set; } = 1_000_000;
    public string? Directory { get; private set; }
    public bool Keep { get; private set; }
    public bool ShowHelp { get; private set; }

    public int BatchBytes => PointsPerBatch * BytesPerPoint;

    /// <exception cref="CommandLineException">An option is unknown or has a bad value.</exception>
    public static BufferBenchOptions Parse(IReadOnlyList<string> args)
    {
        var o = new BufferBenchOptions();
        var a = new ArgumentReader(args);
        while (a.TryNext())
        {
            switch (a.Current)
            {
                case "--points-per-batch": o.PointsPerBatch = a.Int(1, (1 << 20) / BytesPerPoint); break;
                case "--batches": o.Batches = a.Long(1, 10_000_000); break;
                case "--producers": o.Producers = a.Int(1, 256); break;
                case "--single-batches": o.SingleBatches = a.Long(0, 1_000_000); break;
                case "--backlog-points": o.BacklogPoints = a.Long(1, 1_000_000_000); break;
                case "--dir": o.Directory = a.Value(); break;
                case "--keep": o.Keep = true; break;
                case "--help" or "-h": o.ShowHelp = true; break;
                default: throw a.Unknown();
            }
        }

        return o;
    }
}
