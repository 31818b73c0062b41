namespace EquipmentIoT.Bench.Modbus;

/// <summary>Options of <c>eqiot-bench modbus</c>.</summary>
internal sealed class ModbusBenchOptions
{
    public const string Help = """
          eqiot-bench modbus [--seconds 10] [--registers 100] [--devices 200]
            holding registers per second polled over Modbus TCP on loopback, one FC3 request at a time
            (MaxInFlight 1, as the agent's Modbus adapter polls): our ModbusTcpMaster against Debian's
            pymodbus server, then mbpoll (its fastest setting, -l 10) against the same server; then the
            agent's path: DEVICES ModbusAdapters sharing one bus to pymodbus, each polling every 10 ms (a
            profile's shortest interval) into a counting sink; last, our master against our own ModbusServer.
            --seconds N    seconds per run (10)
            --registers N  registers per request, 1..125 (100)
            --devices N    adapters sharing the bus in the agent-path run (200: more than one master keeps busy)
        """;

    public int Seconds { get; private set; } = 10;
    public int Registers { get; private set; } = 100;
    public int Devices { get; private set; } = 200;
    public bool ShowHelp { get; private set; }

    /// <exception cref="CommandLineException">An option is unknown or has a bad value.</exception>
    public static ModbusBenchOptions Parse(IReadOnlyList<string> args)
    {
        var o = new ModbusBenchOptions();
        var a = new ArgumentReader(args);
        while (a.TryNext())
        {
            switch (a.Current)
            {
                case "--seconds": o.Seconds = a.Int(1, 600); break;
                // Modbus application protocol v1.1b3 §6.3: FC3 reads 1 to 125 registers (mbpoll -c has the same limit).
                case "--registers": o.Registers = a.Int(1, 125); break;
                case "--devices": o.Devices = a.Int(1, 1000); break;
                case "--help" or "-h": o.ShowHelp = true; break;
                default: throw a.Unknown();
            }
        }

        return o;
    }
}
