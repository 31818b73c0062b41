namespace EquipmentIoT.Bench.Serial;

/// <summary>Options of <c>eqiot-bench serial</c>.</summary>
internal sealed class SerialBenchOptions
{
    public const string Help = """
          eqiot-bench serial [--lines 100000] [--baud 115200] [--paced-seconds 10]
            CT status lines (STAT state=… heat=… oil=… kv=… ma=… gantry=… fault=…) written to a
            pseudo-terminal (our PseudoTerminal) and read from its slave by the agent's SerialAdapter with the
            shipped ct-serial-mpps profile's serial section, into a counting sink: first paced at the line
            rate of BAUD 8N1 (BAUD/10 bytes/s) for PACED-SECONDS, then LINES lines as fast as the pty takes
            them. Prints lines sent, parsed and lost, lines/s and CPU per line. A pty has no baud rate: the
            pacing is the writer's, the kernel moves bytes as fast as they come.
            --lines N          lines in the unpaced run (100,000)
            --baud N           baud rate to pace at and to configure the port with (115200)
            --paced-seconds N  length of the paced run (10)
        """;

    public int Lines { get; private set; } = 100_000;
    public int Baud { get; private set; } = 115_200;
    public int PacedSeconds { get; private set; } = 10;
    public bool ShowHelp { get; private set; }

    /// <summary>Bytes per second of the line at 8N1: a start bit, 8 data bits, a stop bit per byte.</summary>
    public double BytesPerSecond => Baud / 10.0;

    /// <exception cref="CommandLineException">An option is unknown or has a bad value.</exception>
    public static SerialBenchOptions Parse(IReadOnlyList<string> args)
    {
        var o = new SerialBenchOptions();
        var a = new ArgumentReader(args);
        while (a.TryNext())
        {
            switch (a.Current)
            {
                case "--lines": o.Lines = a.Int(1, 100_000_000); break;
                case "--baud": o.Baud = a.Int(300, 4_000_000); break;
                case "--paced-seconds": o.PacedSeconds = a.Int(0, 3600); break;
                case "--help" or "-h": o.ShowHelp = true; break;
                default: throw a.Unknown();
            }
        }

        return o;
    }
}
