using System.Runtime.Versioning;
using System.Text;
using EquipmentIoT.EdgeAgent.Adapters.Serial;
using EquipmentIoT.EdgeAgent.Collection;
using EquipmentIoT.EdgeAgent.Profiles;
using EquipmentIoT.Protocols.Serial;
using EquipmentIoT.Protocols.Telemetry.Model;
using EquipmentIoT.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;

namespace EquipmentIoT.IntegrationTests.Serial;

/// <summary>
/// <see cref="SerialAdapter"/> on one end of a socat pty pair, a writer playing the CT on the other: good
/// lines become metrics, states and faults; garbage, partial, overlong and wrongly encoded lines are counted
/// and skipped; killing socat (the cable) takes the adapter Down, and starting it again brings it back.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class SerialAdapterTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private const string Profile = """
        profile: ct-serial
        kind: ct
        serial:
          encoding: utf-8
          maxLineLength: 64
          lines:
            - match: '^STAT '
              grammar: key-value
              metrics:
                - field: T
                  name: tube_temperature
                  unit: Cel
              states:
                - field: S
                  map: { RDY: ready, SCN: scanning }
              faults:
                - field: F
                  clear: ["0"]
                  text: { E101: "tube overtemperature" }
        """;

    [Fact]
    public async Task RunAsync_GoodAndBadLines_GoodOnesInTheSinkBadOnesCounted()
    {
        await using var pair = await SocatPtyPair.StartAsync();
        await using var run = AdapterRun.Start(pair.PathB, silence: TimeSpan.FromMilliseconds(400));
        using var ct = SerialPort.Open(new SerialPortSettings(pair.PathA, 19200));
        await Wait.UntilAsync(() => run.Adapter.Status.State == AdapterState.Ok, Timeout, "the adapter to open its port");

        await WriteAsync(ct, "STAT T=41.5 S=RDY F=0\r\n");
        await WriteAsync(ct, "STAT T=42.0 S=SCN F=E101\r\n");
        await WriteAsync(ct, "HELLO\r\n");                                  // unmatched
        await WriteAsync(ct, "STAT T=\0\u0007hot S=SCN\r\n");               // 2 control bytes, T not numeric, F missing
        await WriteAsync(ct, "STAT " + new string('x', 100) + "\r\n");      // overlong
        await ct.WriteAsync(new byte[] { (byte)'S', 0xC3, 0x28, (byte)'\r', (byte)'\n' });  // invalid UTF-8
        await WriteAsync(ct, "STAT T=43 S=SCN F=0\r\n");
        await WriteAsync(ct, "STAT T=44 S=R");                              // partial: silence follows
        await Wait.UntilAsync(() => run.Adapter.Statistics.PartialLines == 1, Timeout, "the partial line to be dropped after silence");

        Assert.Equal([41.5, 42.0, 43], run.Sink.Metrics.Select(m => m.Value));
        Assert.All(run.Sink.Metrics, m => Assert.Equal(("ct-01", "tube_temperature", "Cel"), (m.Device, m.Name, m.Unit)));
        Assert.Equal(
            ["state:ready", "state:scanning", "fault:E101:True", "fault:E101:False"],
            run.Sink.Events.Select(e => e.Type == EventTypes.State ? $"state:{e.Data["state"]}" : $"fault:{e.Data["code"]}:{e.Data["active"] == true}"));
        var s = run.Adapter.Statistics;
        Assert.Equal((4L, 1L, 2L, 1L, 1L, 1L, 1L, 1L, 1L), (s.LinesOk, s.LinesUnmatched, s.ControlBytes, s.NulBytes, s.OverlongLines, s.EncodingErrors, s.PartialLines, s.NonNumericFields, s.MissingFields));
        Assert.Equal(AdapterState.Degraded, run.Adapter.Status.State);
        Assert.Contains("no data for", run.Adapter.Status.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_CableUnpluggedAndBack_DownThenReopensAndReadsAgain()
    {
        await using var pair = await SocatPtyPair.StartAsync();
        await using var run = AdapterRun.Start(pair.PathB, silence: TimeSpan.FromMinutes(1));
        await Wait.UntilAsync(() => run.Adapter.Status.State == AdapterState.Ok, Timeout, "the adapter to open its port");
        using (var ct = SerialPort.Open(new SerialPortSettings(pair.PathA, 19200)))
        {
            await WriteAsync(ct, "STAT T=41.5 S=RDY F=0\r\n");
            await Wait.UntilAsync(() => run.Sink.Metrics.Count == 1, Timeout, "the first reading");
        }

        await pair.UnplugAsync();
        await Wait.UntilAsync(() => run.Adapter.Status.State == AdapterState.Down, Timeout, "the adapter to notice the hang-up");
        Assert.NotNull(run.Adapter.Status.LastError);
        Assert.Contains(pair.PathB, run.Adapter.Status.LastError, StringComparison.Ordinal);

        await pair.PlugInAsync();
        await Wait.UntilAsync(() => run.Adapter.Status.State == AdapterState.Ok, Timeout, "the adapter to reopen the port");
        using (var ct = SerialPort.Open(new SerialPortSettings(pair.PathA, 19200)))
        {
            await WriteAsync(ct, "STAT T=42.5 S=RDY F=0\r\n");
            await Wait.UntilAsync(() => run.Sink.Metrics.Count == 2, Timeout, "a reading after reopening");
        }

        Assert.Equal([41.5, 42.5], run.Sink.Metrics.Select(m => m.Value));
        Assert.Equal(2, run.Adapter.Statistics.Opens);
        Assert.InRange(run.Adapter.Statistics.PortFailures, 1, 1000);
    }

    [Fact]
    public async Task RunAsync_PortMissingAtStart_DownUntilItAppears()
    {
        await using var pair = await SocatPtyPair.StartAsync();
        var missing = pair.PathB + "-later";
        await using var run = AdapterRun.Start(missing, silence: TimeSpan.FromMinutes(1));

        await Wait.UntilAsync(() => run.Adapter.Status.State == AdapterState.Down, Timeout, "Down for a missing port");
        Assert.Contains("No such file or directory", run.Adapter.Status.LastError, StringComparison.Ordinal);

        File.CreateSymbolicLink(missing, new FileInfo(pair.PathB).LinkTarget!);
        await Wait.UntilAsync(() => run.Adapter.Status.State == AdapterState.Ok, Timeout, "Ok once the port exists");
    }

    private static Task WriteAsync(Stream port, string text) => port.WriteAsync(Encoding.UTF8.GetBytes(text)).AsTask();

    // The adapter running in the background with a recording sink; disposing cancels it and waits (bounded).
    private sealed class AdapterRun : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _running;

        private AdapterRun(SerialAdapter adapter)
        {
            Adapter = adapter;
            _running = Task.Run(() => adapter.RunAsync(Sink, _stop.Token));
        }

        public SerialAdapter Adapter { get; }

        public RecordingSink Sink { get; } = new();

        public static AdapterRun Start(string port, TimeSpan silence)
        {
            var profile = ProfileLoader.Parse("ct.yaml", Profile);
            Assert.True(profile.Success, string.Join("\n", profile.Describe()));
            var options = new SerialDeviceOptions
            {
                Port = port,
                BaudRate = 19200,
                ReopenDelay = TimeSpan.FromMilliseconds(50),
                MaxReopenDelay = TimeSpan.FromMilliseconds(200),
                SilenceTimeout = silence,
            };
            return new AdapterRun(new SerialAdapter("ct-01", options, profile.Profile!.Serial!, SystemClock.Instance, TimeProvider.System, NullLogger<SerialAdapter>.Instance));
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _running.WaitAsync(Timeout);
            _stop.Dispose();
        }
    }
}
