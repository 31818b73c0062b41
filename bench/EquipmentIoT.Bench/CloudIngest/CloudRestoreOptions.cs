namespace EquipmentIoT.Bench.CloudIngest;

/// <summary>Options of <c>eqiot-bench cloud-restore</c>.</summary>
internal sealed class CloudRestoreOptions : ICloudBenchOptions<CloudRestoreOptions>
{
    public const string Help = """
          eqiot-bench cloud-restore [--days 7] [--group 1000] [--dir DIR] [--keep]
            backup and restore of the embedded stores: fills a data directory with D days of the demo agent's
            telemetry (edge-agent/examples/synthetic.json: 3 devices, 10 metrics at 1 Hz, one metrics batch a
            second, events as they come; sealed batches written straight through the ledger and series store),
            then times SqliteBackup.BackupAsync and RestoreAsync (as eqiot cloud backup / restore do), checks
            the restored directory, and extrapolates sizes and times linearly to a year.
            --days N     days of data (7)
            --group N    batches per ledger / series write (1000)
            --dir DIR    where to put the data directory and backup (a new directory under the temp directory); removed after
            --keep       keep it
        """;

    public static string HelpText => Help;

    public int Days { get; private set; } = 7;
    public int Group { get; private set; } = 1000;
    public string? Directory { get; private set; }
    public bool Keep { get; private set; }
    public bool ShowHelp { get; private set; }

    /// <exception cref="CommandLineException">An option is unknown or has a bad value.</exception>
    public static CloudRestoreOptions Parse(IReadOnlyList<string> args)
    {
        var o = new CloudRestoreOptions();
        var a = new ArgumentReader(args);
        while (a.TryNext())
        {
            switch (a.Current)
            {
                case "--days": o.Days = a.Int(1, 366); break;
                case "--group": o.Group = a.Int(1, 10_000); break;
                case "--dir": o.Directory = a.Value(); break;
                case "--keep": o.Keep = true; break;
                case "--help" or "-h": o.ShowHelp = true; break;
                default: throw a.Unknown();
            }
        }

        return o;
    }
}
