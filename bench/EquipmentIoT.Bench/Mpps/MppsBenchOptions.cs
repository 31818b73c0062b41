namespace EquipmentIoT.Bench.Mpps;

/// <summary>Options of <c>eqiot-bench mpps</c>.</summary>
internal sealed class MppsBenchOptions
{
    public const string Help = """
          eqiot-bench mpps [--exams 1000] [--parallel 4] [--echoes 200]
            MPPS associations per second through the agent's MppsAdapter on loopback, its events scrubbed
            (PhiScrubber, default policy) and counted as the agent's sink would: each association is our
            DicomClient connecting, N-CREATE (IN PROGRESS), N-SET COMPLETED with 20 images, release; run
            one at a time, then PARALLEL at a time. Reference: C-ECHO associations per second by dcmtk's
            echoscu (a process per association) and by our DicomClient against the same listener.
            --exams N     associations per run (1000)
            --parallel N  concurrent SCUs in the second run (4)
            --echoes N    C-ECHO associations per reference run (200)
        """;

    public int Exams { get; private set; } = 1000;
    public int Parallel { get; private set; } = 4;
    public int Echoes { get; private set; } = 200;
    public bool ShowHelp { get; private set; }

    /// <exception cref="CommandLineException">An option is unknown or has a bad value.</exception>
    public static MppsBenchOptions Parse(IReadOnlyList<string> args)
    {
        var o = new MppsBenchOptions();
        var a = new ArgumentReader(args);
        while (a.TryNext())
        {
            switch (a.Current)
            {
                // The listener keeps at most MaxInstances (raised to fit) open steps; 100,000 is plenty for a rate.
                case "--exams": o.Exams = a.Int(1, 100_000); break;
                case "--parallel": o.Parallel = a.Int(1, 64); break;
                case "--echoes": o.Echoes = a.Int(1, 10_000); break;
                case "--help" or "-h": o.ShowHelp = true; break;
                default: throw a.Unknown();
            }
        }

        return o;
    }
}
