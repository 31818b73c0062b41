using System.Runtime.Versioning;
using EquipmentIoT.Protocols.Serial;

namespace EquipmentIoT.IntegrationTests.Serial;

/// <summary><see cref="PseudoTerminal"/>: a serial port for simulators without socat.</summary>
[SupportedOSPlatform("linux")]
public sealed class PseudoTerminalTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Open_SerialPortOnTheLink_BytesBothWaysUntouched()
    {
        var directory = Directory.CreateTempSubdirectory("eqiot-pty-");
        try
        {
            var link = Path.Combine(directory.FullName, "ct-sim");
            using var pty = PseudoTerminal.Open(link);
            Assert.StartsWith("/dev/pts/", pty.SlavePath, StringComparison.Ordinal);
            Assert.Equal(pty.SlavePath, new FileInfo(link).LinkTarget);
            using var port = SerialPort.Open(new SerialPortSettings(link, 19200));
            using var cts = new CancellationTokenSource(Timeout);
            // Raw both ways: CR, LF, NUL, DEL and high bytes arrive as written (no echo, no CR/LF mapping).
            byte[] status = [.. "STAT T=41\r\n"u8, 0x00, 0x7F, 0xFF, 0x03, (byte)'\n'];

            await pty.Master.WriteAsync(status, cts.Token);
            var read = new byte[status.Length];
            await port.ReadExactlyAsync(read, cts.Token);
            Assert.Equal(status, read);

            await port.WriteAsync(status, cts.Token);
            await pty.Master.ReadExactlyAsync(read, cts.Token);
            Assert.Equal(status, read);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Dispose_ClientReading_HangsUpAndRemovesLink()
    {
        var directory = Directory.CreateTempSubdirectory("eqiot-pty-");
        try
        {
            var link = Path.Combine(directory.FullName, "ct-sim");
            var pty = PseudoTerminal.Open(link);
            using var port = SerialPort.Open(new SerialPortSettings(link));
            var read = port.ReadAsync(new byte[8]).AsTask();

            pty.Dispose();

            await Assert.ThrowsAsync<SerialCommunicationException>(() => read.WaitAsync(Timeout));
            Assert.False(File.Exists(link) || new FileInfo(link).LinkTarget is not null);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void Open_LinkPathIsARegularFile_Refused()
    {
        var file = Path.GetTempFileName();
        try
        {
            Assert.Throws<IOException>(() => PseudoTerminal.Open(file));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
