using System.Globalization;
using EquipmentIoT.Protocols.Serial;

namespace EquipmentIoT.EdgeAgent.Cli.Probe;

/// <summary>Serial line settings spelled as engineers know them (--baud 9600 --parity none --data-bits 8 --stop-bits 1), shared by the serial and Modbus RTU probes.</summary>
internal sealed class ProbeSerialLine(int baud, SerialParity parity)
{
    public int Baud { get; private set; } = baud;

    public SerialParity Parity { get; private set; } = parity;

    public int DataBits { get; private set; } = 8;

    public int StopBits { get; private set; } = 1;

    public const string Help = "--baud N (1200..230400) --parity none|even|odd --data-bits 5..8 --stop-bits 1|2";

    /// <summary>Takes the current option if it is a line setting.</summary>
    public bool TryRead(ProbeArguments a)
    {
        switch (a.Current)
        {
            case "-b" or "--baud":
                Baud = a.Int(1, 4_000_000);
                if (!SerialPortSettings.SupportedBaudRates.Contains(Baud))
                    throw new ProbeUsageException($"--baud {Baud} is not one of {string.Join(", ", SerialPortSettings.SupportedBaudRates.Select(b => b.ToString(CultureInfo.InvariantCulture)))}");
                return true;
            case "-P" or "--parity":
                Parity = a.Choice("none", "even", "odd") switch { "even" => SerialParity.Even, "odd" => SerialParity.Odd, _ => SerialParity.None };
                return true;
            case "-d" or "--data-bits": DataBits = a.Int(5, 8); return true;
            case "-s" or "--stop-bits": StopBits = a.Int(1, 2); return true;
            default: return false;
        }
    }

    public SerialPortSettings Settings(string path) => new(path, Baud, Parity, DataBits, StopBits);
}
