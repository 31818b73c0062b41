using System.Globalization;
using EquipmentIoT.Protocols.Serial.Interop;

namespace EquipmentIoT.Protocols.Serial;

/// <summary>
/// How to open a serial device: its path, speed and character format ("9600 8N1"). No flow control:
/// the equipment we read sends status lines or answers Modbus requests, and neither uses RTS/CTS or XON/XOFF.
/// </summary>
/// <param name="Path">The device, e.g. /dev/ttyUSB0 or a stable /dev/serial/by-id/… link.</param>
/// <param name="BaudRate">Bits per second: one of <see cref="SupportedBaudRates"/>.</param>
/// <param name="Parity">None, even or odd.</param>
/// <param name="DataBits">5 to 8.</param>
/// <param name="StopBits">1 or 2.</param>
public sealed record SerialPortSettings(string Path, int BaudRate = 9600, SerialParity Parity = SerialParity.None, int DataBits = 8, int StopBits = 1)
{
    /// <summary>The speeds this port supports (the Bxxxx constants of termios).</summary>
    public static IReadOnlyList<int> SupportedBaudRates { get; } = [1200, 1800, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400];

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that is wrong.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Path)) throw new ArgumentException("the serial port path is empty", nameof(Path));
        if (!Path.StartsWith('/')) throw new ArgumentException($"the serial port path '{Path}' is not absolute", nameof(Path));
        if (!SupportedBaudRates.Contains(BaudRate))
        {
            throw new ArgumentException($"baud rate {BaudRate} is not supported; use one of {string.Join(", ", SupportedBaudRates)}", nameof(BaudRate));
        }

        if (!Enum.IsDefined(Parity)) throw new ArgumentException($"parity {(int)Parity} is not None, Even or Odd", nameof(Parity));
        if (DataBits is < 5 or > 8) throw new ArgumentException($"data bits {DataBits} must be 5, 6, 7 or 8", nameof(DataBits));
        if (StopBits is not (1 or 2)) throw new ArgumentException($"stop bits {StopBits} must be 1 or 2", nameof(StopBits));
    }

    /// <summary>"/dev/ttyUSB0 9600 8N1".</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Path} {BaudRate} {DataBits}{Parity switch { SerialParity.Even => 'E', SerialParity.Odd => 'O', _ => 'N' }}{StopBits}");

    /// <summary>The time one character takes on the wire (start + data + parity + stop bits).</summary>
    public TimeSpan CharacterTime => TimeSpan.FromSeconds((1.0 + DataBits + (Parity == SerialParity.None ? 0 : 1) + StopBits) / BaudRate);

    internal uint SpeedConstant() => BaudRate switch
    {
        1200 => LibC.B1200,
        1800 => LibC.B1800,
        2400 => LibC.B2400,
        4800 => LibC.B4800,
        9600 => LibC.B9600,
        19200 => LibC.B19200,
        38400 => LibC.B38400,
        57600 => LibC.B57600,
        115200 => LibC.B115200,
        230400 => LibC.B230400,
        _ => throw new ArgumentException($"baud rate {BaudRate} is not supported", nameof(BaudRate)),
    };

    /// <summary>The c_cflag bits for the character format: CSIZE, CSTOPB, PARENB, PARODD.</summary>
    internal uint CharacterFormatFlags() =>
        DataBits switch { 5 => LibC.CS5, 6 => LibC.CS6, 7 => LibC.CS7, _ => LibC.CS8 }
        | (StopBits == 2 ? LibC.CStopB : 0)
        | Parity switch { SerialParity.Even => LibC.ParEnb, SerialParity.Odd => LibC.ParEnb | LibC.ParOdd, _ => 0u };
}
