namespace EquipmentIoT.Bench.CloudStore;

/// <summary>Options of <c>eqiot-bench cloud-store</c>.</summary>
internal sealed class CloudStoreBenchOptions
{
    public const string Help = """
          eqiot-bench cloud-store [--agents 200] [--batches-per-agent 20] [--points-per-batch 500] [--group 100] [options]
            the cloud's embedded SQLite stores on this disk: (a) ingest of pre-sealed batches through the ledger
            (chain decision, JWS kept) + series store (chunks, 1-min/1-h rollups) + the pending mark, N batches
            per transaction, one group after another and pipelined (ledger of the next group beside the series
            write of this one), after an untimed warm-up; (b) in the same run, a naive table (device, metric,
            ts, value) indexed on (device, metric, ts) fed the same points; (c) query latency over a year of 1 Hz
            data for one metric (a day raw and at 1 min, a month at 1 h, a year at 1 day and 1 h); (d) backup and
            restore of that year. Build it optimized (-c Release, or -p:Optimize=true with another configuration).
            --agents N              simulated agents, round-robin in the ingest order (200)
            --batches-per-agent N   metrics batches per agent (20)
            --points-per-batch N    points per batch, over 10 devices x 5 metrics of the agent (500)
            --group N               batches per ingest transaction (100)
            --naive-rows N          rows fed to the naive table (1,000,000)
            --year-days N           days of 1 Hz data for the query part (365; 0 skips (c) and (d))
            --repeats N             queries per kind, at seeded random offsets (30)
            --no-backup             skip (d)
            --dir DIR               where to put the stores (a new directory under the temp directory); removed after
            --keep                  keep that directory
        """;

    public int Agents { get; private set; } = 200;
    public int BatchesPerAgent { get; private set; } = 20;
    public int PointsPerBatch { get; private set; } = 500;
    public int Group { get; private set; } = 100;
    public long NaiveRows { get; private set; } = 1_000_000;
    public int YearDays { get; private set; } = 365;
    public int Repeats { get; private set; } = 30;
    public bool Backup { get; private set; } = true;
    public string? Directory { get; private set; }
    public bool Keep { get; private set; }
    public bool ShowHelp { get; private set; }

    /// <exception cref="CommandLineException">An option is unknown or has a bad value.</exception>
    public static CloudStoreBenchOptions Parse(IReadOnlyList<string> args)
    {
        var o = new CloudStoreBenchOptions();
        var a = new ArgumentReader(args);
        while (a.TryNext())
        {
            switch (a.Current)
            {
                case "--agents": o.Agents = a.Int(1, 100_000); break;
                case "--batches-per-agent": o.BatchesPerAgent = a.Int(1, 1_000_000); break;
                case "--points-per-batch": o.PointsPerBatch = a.Int(1, 10_000); break;
                case "--group": o.Group = a.Int(1, 10_000); break;
                case "--naive-rows": o.NaiveRows = a.Long(0, 1_000_000_000); break;
                case "--year-days": o.YearDays = a.Int(0, 3650); break;
                case "--repeats": o.Repeats = a.Int(1, 10_000); break;
                case "--no-backup": o.Backup = false; break;
                case "--dir": o.Directory = a.Value(); break;
                case "--keep": o.Keep = true; break;
                case "--help" or "-h": o.ShowHelp = true; break;
                default: throw a.Unknown();
            }
        }
        return o;
    }
}
