using EquipmentIoT.EdgeAgent.Adapters.Modbus;
using EquipmentIoT.EdgeAgent.Collection;
using EquipmentIoT.EdgeAgent.Profiles;
using EquipmentIoT.Protocols.Modbus.Server;
using EquipmentIoT.Protocols.Telemetry.Model;
using EquipmentIoT.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;

namespace EquipmentIoT.IntegrationTests.Modbus;

/// <summary>The Modbus adapter end to end: against pymodbus over TCP, and over a pty serial line through the serial factory delegate.</summary>
public sealed class ModbusAdapterIntegrationTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static ModbusProfile Profile(string registers)
    {
        var result = ProfileLoader.Parse("test.yaml", $"profile: p\nkind: am-printer\nmodbus:\n  pollInterval: 00:00:00.100\n  registers:\n{registers}");
        Assert.True(result.Success, string.Join('\n', result.Describe()));
        return result.Profile!.Modbus!;
    }

    [Fact]
    public async Task Adapter_PymodbusOverTcp_SeededValuesAsMetricsAndStates()
    {
        await using var server = await PymodbusServer.StartAsync(rtuFraming: false);
        var profile = Profile("""
                - { name: chamber_o2, function: 4, address: 5, scale: 0.001, unit: "%" }
                - { name: platform_temp, function: 3, address: 2, scale: 0.5, unit: Cel }
                - { name: recoater, function: 3, address: 3, kind: state, states: { 30: homing } }
                - { name: door_closed, function: 2, address: 4 }
                - { name: lamp, function: 1, address: 1 }
            """);
        await using var buses = new ModbusBusRegistry(new ModbusTransportFactory(), TimeProvider.System);
        var adapter = new ModbusAdapter("am-01", profile, new ModbusDeviceOptions { Endpoint = $"tcp://127.0.0.1:{server.Port}" },
            buses, SystemClock.Instance, TimeProvider.System, NullLogger<ModbusAdapter>.Instance);
        var sink = new Sink();
        using var cts = new CancellationTokenSource(Bound);
        var run = adapter.RunAsync(sink, cts.Token);

        await Wait.UntilAsync(() => sink.Metric("chamber_o2") is not null, Bound, "a full poll (FC 04 is read last)");
        Assert.Equal(1.005, sink.Metric("chamber_o2")!.Value.Value, 9); // input register 5 = 1005
        Assert.Equal(10, sink.Metric("platform_temp")!.Value.Value); // holding register 2 = 20
        Assert.Equal(1, sink.Metric("door_closed")!.Value.Value); // discrete input 4: even
        Assert.Equal(0, sink.Metric("lamp")!.Value.Value); // coil 1: 1 % 3 != 0
        Assert.Contains(sink.Events, e => e.Type == EventTypes.State && e.Data["state"].ToString() == "homing");
        // The adapter reports Ok just after it hands the poll's values to the sink: waited for, not raced.
        await Wait.UntilAsync(() => adapter.Status.State == AdapterState.Ok, Bound, "the adapter to report Ok");
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
    }

    [Fact]
    public async Task Adapters_TwoPymodbusSlavesAndADeadOneOnOneSerialBus_LiveOnesReadDeadOneBackedOff()
    {
        // The agent's own path: rtu:///dev/pts/N through our termios serial port, pymodbus serving units 1 and 2 on
        // the other end of a socat pty pair, nobody answering unit 3.
        await using var pair = await Serial.SocatPtyPair.StartAsync();
        var device = File.ResolveLinkTarget(pair.PathB, returnFinalTarget: true)!.FullName;
        ModbusDeviceOptions Options(int unit) => new()
        {
            Endpoint = $"rtu://{device}", UnitId = unit, BaudRate = 19200, Parity = EquipmentIoT.Protocols.Serial.SerialParity.None, StopBits = 2, Timeout = TimeSpan.FromMilliseconds(300),
            Retries = 0, BreakerFailures = 2, BreakerOpenDelay = TimeSpan.FromSeconds(1), BreakerMaxOpenDelay = TimeSpan.FromSeconds(2),
        };
        await using var slaves = await PymodbusServer.StartSerialAsync(File.ResolveLinkTarget(pair.PathA, returnFinalTarget: true)!.FullName, async ct =>
        {
            await using var probe = ModbusSerialLine.Factory().Create(Options(1).ParsedEndpoint(), Options(1), TimeProvider.System);
            try
            {
                return (await probe.ReadHoldingRegistersAsync(1, 0, 1, ct))[0] == 0;
            }
            catch (EquipmentIoT.Protocols.Modbus.ModbusCommunicationException)
            {
                return false;
            }
        });
        var profile = Profile("    - { name: level, function: 3, address: 5 }\n");
        await using var buses = new ModbusBusRegistry(ModbusSerialLine.Factory(), TimeProvider.System);
        var adapters = new[] { 1, 2, 3 }.Select(unit => new ModbusAdapter($"unit-{unit}", profile, Options(unit), buses, SystemClock.Instance,
            TimeProvider.System, NullLogger<ModbusAdapter>.Instance)).ToArray();
        var sink = new Sink();
        using var cts = new CancellationTokenSource(Bound * 2);
        var runs = adapters.Select(a => a.RunAsync(sink, cts.Token)).ToArray();

        await Wait.UntilAsync(() => sink.Metric("unit-1", "level") is not null && sink.Metric("unit-2", "level") is not null, Bound, "both live slaves read");
        Assert.Equal(50, sink.Metric("unit-1", "level")!.Value.Value);
        Assert.Equal(20005, sink.Metric("unit-2", "level")!.Value.Value);
        await Wait.UntilAsync(() => adapters[2].Status.State == AdapterState.Down, Bound, "the dead unit's breaker to open");
        Assert.Contains("circuit open", adapters[2].Status.LastError, StringComparison.Ordinal);
        var before = (adapters[0].Polls, adapters[1].Polls);
        await Wait.UntilAsync(() => adapters[0].Polls >= before.Item1 + 10 && adapters[1].Polls >= before.Item2 + 10, Bound,
            "ten more polls of each live slave while the dead one is backed off");
        await Wait.UntilAsync(() => adapters[0].Status.State == AdapterState.Ok && adapters[1].Status.State == AdapterState.Ok, Bound,
            "the live adapters to report Ok");
        Assert.Null(sink.Metric("unit-3", "level"));
        await cts.CancelAsync();
        foreach (var run in runs) await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
    }

    [Fact]
    public async Task Adapter_RtuOnPtyThroughSerialLine_ReadsOurServer()
    {
        await using var pair = await Serial.SocatPtyPair.StartAsync();
        var device = File.ResolveLinkTarget(pair.PathB, returnFinalTarget: true)!.FullName; // /dev/pts/N
        var store = new ModbusDataStore();
        store.SetInputRegisters(0, 0x0001, 0x86A0); // uint32 100000
        await using var server = new ModbusServer(unit => unit == 9 ? store : null);
        using var cts = new CancellationTokenSource(Bound);
        await using var line = EquipmentIoT.Protocols.Serial.SerialPort.Open(new EquipmentIoT.Protocols.Serial.SerialPortSettings(pair.PathA, 19200));
        var serving = server.ServeRtuAsync(line, cts.Token);

        // The agent's own line: ModbusSerialLine opens our termios port with the device's settings.
        await using var buses = new ModbusBusRegistry(ModbusSerialLine.Factory(), TimeProvider.System);
        var profile = Profile("    - { name: parts, function: 4, address: 0, type: uint32 }\n");
        var adapter = new ModbusAdapter("printer", profile,
            new ModbusDeviceOptions { Endpoint = $"rtu://{device}", UnitId = 9, BaudRate = 19200, Parity = EquipmentIoT.Protocols.Serial.SerialParity.None },
            buses, SystemClock.Instance, TimeProvider.System, NullLogger<ModbusAdapter>.Instance);
        var sink = new Sink();
        var run = adapter.RunAsync(sink, cts.Token);

        await Wait.UntilAsync(() => sink.Metric("parts") is not null, Bound, "a poll over the pty");
        Assert.Equal(100000, sink.Metric("parts")!.Value.Value);
        // The adapter reports Ok just after it hands the poll's values to the sink: waited for, not raced.
        await Wait.UntilAsync(() => adapter.Status.State == AdapterState.Ok, Bound, "the adapter to report Ok");
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(TimeSpan.FromSeconds(10)));
        await StopsAsync(serving);
    }

    private sealed class Sink : ITelemetrySink
    {
        private readonly Lock _gate = new();
        private readonly List<MetricPoint> _metrics = [];
        private readonly List<TelemetryEvent> _events = [];

        public IReadOnlyList<TelemetryEvent> Events
        {
            get
            {
                lock (_gate) return [.. _events];
            }
        }

        public MetricPoint? Metric(string device, string name)
        {
            lock (_gate) return _metrics.LastOrDefault(m => m.Device == device && m.Name == name) is { Device: not null } m ? m : null;
        }

        public MetricPoint? Metric(string name)
        {
            lock (_gate) return _metrics.LastOrDefault(m => m.Name == name) is { Device: not null } m ? m : null;
        }

        public void AddMetric(in MetricPoint point)
        {
            lock (_gate) _metrics.Add(point);
        }

        public void AddEvent(TelemetryEvent telemetryEvent)
        {
            lock (_gate) _events.Add(telemetryEvent);
        }
    }

    // The server's loop ends when cancelled (returning or throwing OperationCanceledException), within a bound.
    private static async Task StopsAsync(Task serving)
    {
        try
        {
            await serving.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (OperationCanceledException)
        {
        }
    }
}
