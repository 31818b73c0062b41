using System.Diagnostics;
using System.Runtime.Versioning;
using System.Text;
using EquipmentIoT.Protocols.Serial;

namespace EquipmentIoT.IntegrationTests.Serial;

/// <summary>
/// <see cref="SerialPort"/> on a socat pty pair: settings checked with stty, bytes both ways, prompt
/// cancellation, exclusive open, and the hang-up when the "cable" (socat) goes.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class SerialPortTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    // The Linux pty driver forces CS8 and clears PARENB (pty_set_termios), so over socat stty shows what a
    // pty keeps: speed, CSTOPB and PARODD. On a real UART the driver keeps data bits and parity as well.
    [Theory]
    [InlineData(9600, SerialParity.Even, 8, 1, "speed=9600", "-parodd", "cs8", "-cstopb")]
    [InlineData(115200, SerialParity.None, 8, 2, "speed=115200", "-parodd", "cs8", "cstopb")]
    [InlineData(1200, SerialParity.Odd, 7, 1, "speed=1200", "parodd", "-cstopb")]
    [InlineData(230400, SerialParity.None, 5, 2, "speed=230400", "-parodd", "cstopb")]
    public async Task Open_Settings_SttySeesThemRawNoFlowControl(int baud, SerialParity parity, int dataBits, int stopBits, params string[] expected)
    {
        await using var pair = await SocatPtyPair.StartAsync();
        using (SerialPort.Open(new SerialPortSettings(pair.PathB, baud, parity, dataBits, stopBits)))
        {
        }

        // Read after closing: the pty keeps its termios while socat holds the master, and stty's own open
        // is not refused by our TIOCEXCL (which binds non-root users).
        var stty = await Stty.SettingsAsync(pair.PathB);
        foreach (var word in expected.Concat(["clocal", "cread", "-crtscts", "-ixon", "-ixoff", "-icanon", "-echo", "-isig", "-opost"]))
        {
            Assert.True(stty.Contains(word), $"stty lacks '{word}': {string.Join(' ', stty)}");
        }
    }

    [Fact]
    public async Task ReadAsync_BytesWrittenOnTheOtherEnd_ArriveBothWays()
    {
        await using var pair = await SocatPtyPair.StartAsync();
        using var a = SerialPort.Open(new SerialPortSettings(pair.PathA, 115200));
        using var b = SerialPort.Open(new SerialPortSettings(pair.PathB, 115200));
        var payload = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 500).Select(i => $"line {i}\n")));
        using var cts = new CancellationTokenSource(Timeout);

        var reading = ReadAllAsync(b, payload.Length, cts.Token);
        await a.WriteAsync(payload, cts.Token);
        await a.DrainAsync(cancellationToken: cts.Token);
        Assert.Equal(payload, await reading);

        await b.WriteAsync("pong\n"u8.ToArray(), cts.Token);
        Assert.Equal("pong\n"u8.ToArray(), await ReadAllAsync(a, 5, cts.Token));
    }

    [Fact]
    public async Task ReadAsync_Cancelled_ReturnsPromptly()
    {
        await using var pair = await SocatPtyPair.StartAsync();
        using var port = SerialPort.Open(new SerialPortSettings(pair.PathB));
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => { _ = await port.ReadAsync(new byte[16], cts.Token); });

        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task ReadAsync_ReadTimeout_TimeoutException()
    {
        await using var pair = await SocatPtyPair.StartAsync();
        using var port = SerialPort.Open(new SerialPortSettings(pair.PathB));
        port.ReadTimeout = 100;

        await Assert.ThrowsAsync<TimeoutException>(async () => { _ = await port.ReadAsync(new byte[16]); });
    }

    [Fact]
    public async Task Dispose_WhileReading_ReadEndsPromptly()
    {
        await using var pair = await SocatPtyPair.StartAsync();
        var port = SerialPort.Open(new SerialPortSettings(pair.PathB));
        var read = port.ReadAsync(new byte[16]).AsTask();

        port.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => read.WaitAsync(Timeout));
    }

    [Fact]
    public async Task ReadAsync_SocatKilled_HangUpAsCommunicationException()
    {
        await using var pair = await SocatPtyPair.StartAsync();
        using var port = SerialPort.Open(new SerialPortSettings(pair.PathB));
        var read = port.ReadAsync(new byte[16]).AsTask();

        await pair.UnplugAsync();

        var e = await Assert.ThrowsAsync<SerialCommunicationException>(() => read.WaitAsync(Timeout));
        Assert.True(e.IsTransient);
        Assert.Contains(pair.PathB, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_SecondTime_InUse()
    {
        await using var pair = await SocatPtyPair.StartAsync();
        using var first = SerialPort.Open(new SerialPortSettings(pair.PathB));

        var e = Assert.Throws<SerialCommunicationException>(() => SerialPort.Open(new SerialPortSettings(pair.PathB)));

        Assert.Contains("in use", e.Message, StringComparison.Ordinal);
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream, int count, CancellationToken cancellationToken)
    {
        var buffer = new byte[count];
        await stream.ReadExactlyAsync(buffer, cancellationToken);
        return buffer;
    }
}
