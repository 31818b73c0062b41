using System.ComponentModel.DataAnnotations;
using System.Runtime.Versioning;
using EquipmentIoT.EdgeAgent.Adapters.Serial;
using EquipmentIoT.EdgeAgent.Collection;
using EquipmentIoT.EdgeAgent.Tests.Buffer;
using EquipmentIoT.EdgeAgent.Tests.Collection;
using EquipmentIoT.Protocols.Serial;
using EquipmentIoT.Testing;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace EquipmentIoT.EdgeAgent.Tests.Adapters.Serial;

/// <summary>
/// <see cref="SerialAdapter"/> on a kernel pseudo-terminal (no external peer): what it logs for a flood of bad
/// lines, and its options' validation. The socat tests in IntegrationTests/Serial cover unplugging.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class SerialAdapterTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task RunAsync_FloodOfUnmatchedLines_OneWarningAndOnlyShortEscapedPrefixesAtDebug()
    {
        var directory = Directory.CreateTempSubdirectory("eqiot-serial-unit-");
        try
        {
            var link = Path.Combine(directory.FullName, "tty");
            using var pty = PseudoTerminal.Open(link);
            var logger = new ListLogger<SerialAdapter>();
            var adapter = new SerialAdapter("ct-01", new SerialDeviceOptions { Port = link }, SerialProfiles.Load(), SystemClock.Instance, TimeProvider.System, logger);
            Assert.Equal(AdapterState.Starting, adapter.Status.State);
            var sink = new RecordingSink();
            using var stop = new CancellationTokenSource();
            var running = Task.Run(() => adapter.RunAsync(sink, stop.Token));
            await Wait.UntilAsync(() => adapter.Status.State == AdapterState.Ok, Timeout, "the adapter to open the pty");

            var flood = string.Concat(Enumerable.Range(0, 50).Select(i => $"PATIENT DOE^JANE\u00e9 MRN{i:D6} born 19700101\r\n"));
            await pty.Master.WriteAsync(System.Text.Encoding.Latin1.GetBytes(flood));
            await Wait.UntilAsync(() => adapter.Statistics.EncodingErrors == 50, Timeout, "50 lines with a non-ASCII byte");
            await pty.Master.WriteAsync(System.Text.Encoding.ASCII.GetBytes(flood.Replace("\u00e9", "", StringComparison.Ordinal)));
            await Wait.UntilAsync(() => adapter.Statistics.LinesUnmatched == 50, Timeout, "50 unmatched lines");

            await stop.CancelAsync();
            await running.WaitAsync(Timeout);
            var warnings = logger.Entries.Where(e => e.Level >= LogLevel.Warning).Select(e => e.Message).ToList();
            Assert.Equal(2, warnings.Count);
            Assert.Contains(warnings, w => w.Contains(" lines invalid in ascii skipped so far", StringComparison.Ordinal));
            Assert.Contains(warnings, w => w.Contains("1 lines matched no rule", StringComparison.Ordinal));
            Assert.DoesNotContain(warnings, w => w.Contains("DOE", StringComparison.Ordinal));
            var debug = logger.Entries.Where(e => e.Level == LogLevel.Debug && e.Message.Contains("unmatched line", StringComparison.Ordinal)).ToList();
            Assert.Equal(50, debug.Count);
            Assert.All(debug, d => Assert.Contains("\"PATIENT DOE^JANE MRN0000…\"", d.Message, StringComparison.Ordinal));
            Assert.Equal(AdapterState.Degraded, adapter.Status.State);
            Assert.Equal("50 lines matched no rule", adapter.Status.LastError);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("", 9600, 8, 1, "Port")]
    [InlineData("/dev/ttyS0", 9601, 8, 1, "BaudRate")]
    [InlineData("/dev/ttyS0", 100, 8, 1, "BaudRate")]
    [InlineData("/dev/ttyS0", 9600, 9, 1, "DataBits")]
    [InlineData("/dev/ttyS0", 9600, 8, 3, "StopBits")]
    [InlineData("ttyS0", 9600, 8, 1, "Port")]
    public void Validate_BadOption_NamesTheMember(string port, int baud, int dataBits, int stopBits, string member)
    {
        var options = new SerialDeviceOptions { Port = port, BaudRate = baud, DataBits = dataBits, StopBits = stopBits };

        var results = new List<ValidationResult>();
        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true));
        Assert.Contains(results, r => r.MemberNames.Contains(member));
    }

    [Fact]
    public void Validate_ReopenCapBelowFirstDelay_Refused()
    {
        var options = new SerialDeviceOptions { Port = "/dev/ttyS0", ReopenDelay = TimeSpan.FromSeconds(5), MaxReopenDelay = TimeSpan.FromSeconds(1) };

        var results = new List<ValidationResult>();
        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true));
        Assert.Equal(["MaxReopenDelay"], results.Single().MemberNames);
    }

    [Fact]
    public void Validate_Defaults_Pass()
    {
        var options = new SerialDeviceOptions { Port = "/dev/serial/by-id/usb-FTDI-if00-port0" };

        Assert.True(Validator.TryValidateObject(options, new ValidationContext(options), [], validateAllProperties: true));
        Assert.Equal("/dev/serial/by-id/usb-FTDI-if00-port0 9600 8N1", options.ToSettings().ToString());
    }
}
