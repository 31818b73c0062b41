using System.Runtime.Versioning;
using EquipmentIoT.Protocols.Serial;

namespace EquipmentIoT.Protocols.Tests.Serial;

/// <summary>Validation and description of <see cref="SerialPortSettings"/>.</summary>
[SupportedOSPlatform("linux")]
public sealed class SerialPortSettingsTests
{
    [Theory]
    [InlineData("", 9600, SerialParity.None, 8, 1, "path")]
    [InlineData("ttyUSB0", 9600, SerialParity.None, 8, 1, "not absolute")]
    [InlineData("/dev/ttyUSB0", 9601, SerialParity.None, 8, 1, "baud rate 9601")]
    [InlineData("/dev/ttyUSB0", 9600, (SerialParity)7, 8, 1, "parity")]
    [InlineData("/dev/ttyUSB0", 9600, SerialParity.None, 9, 1, "data bits 9")]
    [InlineData("/dev/ttyUSB0", 9600, SerialParity.None, 4, 1, "data bits 4")]
    [InlineData("/dev/ttyUSB0", 9600, SerialParity.None, 8, 3, "stop bits 3")]
    public void Validate_BadSetting_ArgumentExceptionNamingIt(string path, int baud, SerialParity parity, int dataBits, int stopBits, string expected)
    {
        var settings = new SerialPortSettings(path, baud, parity, dataBits, stopBits);

        var e = Assert.Throws<ArgumentException>(settings.Validate);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => SerialPort.Open(settings));
    }

    [Fact]
    public void ToString_EvenParityTwoStopBits_ShortForm()
    {
        Assert.Equal("/dev/ttyS0 19200 7E2", new SerialPortSettings("/dev/ttyS0", 19200, SerialParity.Even, 7, 2).ToString());
    }

    [Fact]
    public void CharacterTime_9600_8N1_TenBits()
    {
        Assert.Equal(10.0 / 9600, new SerialPortSettings("/dev/ttyS0").CharacterTime.TotalSeconds, 6); // TimeSpan resolution: 100 ns
    }

    [Fact]
    public void Open_MissingDevice_TransientCommunicationExceptionWithErrnoText()
    {
        var e = Assert.Throws<SerialCommunicationException>(() => SerialPort.Open(new SerialPortSettings("/dev/eqiot-no-such-port")));

        Assert.True(e.IsTransient);
        Assert.Equal(2, e.Errno);
        Assert.Contains("/dev/eqiot-no-such-port: open failed: No such file or directory (errno 2)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_NotATerminal_NotTransient()
    {
        var e = Assert.Throws<SerialCommunicationException>(() => SerialPort.Open(new SerialPortSettings("/dev/null")));

        Assert.False(e.IsTransient);
        Assert.Contains("not a terminal", e.Message, StringComparison.Ordinal);
    }
}
