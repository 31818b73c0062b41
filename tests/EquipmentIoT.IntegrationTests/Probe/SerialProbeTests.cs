using System.Text;
using EquipmentIoT.Protocols.Serial;

namespace EquipmentIoT.IntegrationTests.Probe;

/// <summary><c>eqiot agent probe serial</c> against a pseudo-terminal playing a CT's service port.</summary>
public sealed class SerialProbeTests
{
    [Fact]
    public async Task ProbeSerial_CtStatusLinesWithProfile_PrintsLinesReadingsAndSummary()
    {
        using var pty = PseudoTerminal.Open();
        await using var probe = ProbeProcess.Start("serial", "--port", pty.SlavePath, "--baud", "9600", "--profile", "ct-serial-mpps", "-C", "3", "-W", "30");
        await ProbeProcess.WaitListeningAsync(probe);

        var lines = "STAT state=READY heat=12.5 oil=36.1 kv=0 ma=0 gantry=24.3 fault=0\r\n"
                    + "HELLO\u0001 technician\r\n"
                    + "STAT state=ERROR heat=97.5 oil=61.0 kv=0 ma=0 gantry=25.0 fault=E101\r\n";
        await pty.Master.WriteAsync(Encoding.ASCII.GetBytes(lines));

        Assert.Equal(0, await probe.WaitForExitAsync(ProbeProcess.ExitTimeout));
        var output = probe.StdoutLines;
        Assert.Contains("[1] STAT state=READY heat=12.5 oil=36.1 kv=0 ma=0 gantry=24.3 fault=0", output);
        Assert.Contains("    metric tube_heat = 12.5 %", output);
        Assert.Contains("    metric tube_oil_temperature = 36.1 Cel", output);
        Assert.Contains(output, l => l.StartsWith("    state ", StringComparison.Ordinal) && l.Contains("state=ready", StringComparison.Ordinal));
        Assert.Contains("[2] HELLO technician", output);
        Assert.Contains("    unmatched", output);
        Assert.Contains(output, l => l.StartsWith("    fault ", StringComparison.Ordinal) && l.Contains("code=E101", StringComparison.Ordinal)
                                    && l.Contains("tube overtemperature", StringComparison.Ordinal));
        Assert.Contains(output, l => l.Contains("state=fault", StringComparison.Ordinal) && l.Contains("previous=ready", StringComparison.Ordinal));
        Assert.Contains(output, l => l.StartsWith("-- 3 lines, 1 unmatched", StringComparison.Ordinal) && l.Contains("1 control bytes dropped", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ProbeSerial_FewerLinesThanCountWithinTimeout_Exits1WithSummary()
    {
        using var pty = PseudoTerminal.Open();
        await using var probe = ProbeProcess.Start("serial", "--port", pty.SlavePath, "-C", "2", "-W", "2");
        await ProbeProcess.WaitListeningAsync(probe);
        await pty.Master.WriteAsync("only one\n"u8.ToArray());
        Assert.Equal(1, await probe.WaitForExitAsync(ProbeProcess.ExitTimeout));
        Assert.Contains("[1] only one", probe.StdoutLines);
        Assert.Contains(probe.StdoutLines, l => l.StartsWith("-- 1 lines", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ProbeSerial_PortGoesAway_PrintsSummaryAndExits1()
    {
        var pty = PseudoTerminal.Open();
        await using var probe = ProbeProcess.Start("serial", "--port", pty.SlavePath, "-W", "30");
        try
        {
            await ProbeProcess.WaitListeningAsync(probe);
            await pty.Master.WriteAsync("before\n"u8.ToArray());
            await Testing.Wait.UntilAsync(() => probe.StdoutLines.Contains("[1] before"), TimeSpan.FromSeconds(30), "the first line");
        }
        finally
        {
            pty.Dispose(); // the master closes: the slave hangs up, as an unplugged USB adapter does
        }

        Assert.Equal(1, await probe.WaitForExitAsync(ProbeProcess.ExitTimeout));
        Assert.Contains(probe.StdoutLines, l => l.StartsWith("-- 1 lines", StringComparison.Ordinal));
        Assert.StartsWith("Error: ", probe.StderrTail(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProbeSerial_MissingPort_Exits1NamingIt()
    {
        var (exit, _, stderr) = await ProbeProcess.RunAsync("serial", "--port", "/dev/eqiot-no-such-port", "-W", "1");
        Assert.Equal(1, exit);
        Assert.Contains("/dev/eqiot-no-such-port", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("serial")]
    [InlineData("serial", "--port", "/dev/null", "--baud", "12345")]
    [InlineData("serial", "--port", "/dev/null", "--parity", "mark")]
    [InlineData("serial", "--port", "/dev/null", "--profile", "no-such-profile")]
    [InlineData("serial", "--port", "/dev/null", "--bogus")]
    [InlineData("nothing")]
    public async Task Probe_UsageError_Exits2WithMessage(params string[] arguments)
    {
        var (exit, _, stderr) = await ProbeProcess.RunAsync(arguments);
        Assert.Equal(2, exit);
        if (arguments[0] != "nothing") Assert.StartsWith("Error: ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProbeHelp_ListsProbesAndExitCodes_Exits0()
    {
        var (exit, stdout, _) = await ProbeProcess.RunAsync("--help");
        Assert.Equal(0, exit);
        var text = string.Join('\n', stdout);
        Assert.Contains("probe serial", text, StringComparison.Ordinal);
        Assert.Contains("probe modbus", text, StringComparison.Ordinal);
        Assert.Contains("probe dicom echo", text, StringComparison.Ordinal);
        Assert.Contains("probe dicom mpps", text, StringComparison.Ordinal);
        Assert.Contains("Exit codes: 0 ok, 1", text, StringComparison.Ordinal);
    }
}
