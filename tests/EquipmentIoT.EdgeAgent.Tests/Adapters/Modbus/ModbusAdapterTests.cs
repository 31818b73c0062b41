using System.Diagnostics;
using System.Net;
using EquipmentIoT.EdgeAgent.Adapters.Modbus;
using EquipmentIoT.EdgeAgent.Collection;
using EquipmentIoT.EdgeAgent.Profiles;
using EquipmentIoT.EdgeAgent.Tests.Collection;
using EquipmentIoT.Protocols.Modbus.Server;
using EquipmentIoT.Protocols.Telemetry.Model;
using EquipmentIoT.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;
using Xunit.Abstractions;

namespace EquipmentIoT.EdgeAgent.Tests.Adapters.Modbus;

/// <summary>The adapter against our Modbus server on loopback: values, events, exception responses, and the breaker on a shared bus.</summary>
public sealed class ModbusAdapterTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    private static ModbusProfile Profile(string registers, string pollInterval = "00:00:00.050")
    {
        var result = ProfileLoader.Parse("test.yaml", $"profile: p\nkind: mr\nmodbus:\n  pollInterval: {pollInterval}\n  registers:\n{registers}");
        Assert.True(result.Success, string.Join('\n', result.Describe()));
        return result.Profile!.Modbus!;
    }

    private static ModbusAdapter Adapter(string device, ModbusProfile profile, ModbusDeviceOptions options, ModbusBusRegistry buses) =>
        new(device, profile, options, buses, SystemClock.Instance, TimeProvider.System, NullLogger<ModbusAdapter>.Instance);

    [Fact]
    public async Task Run_LiveDeviceOverTcp_MetricsStatesAndFaults()
    {
        var store = new ModbusDataStore();
        store.SetInputRegisters(0, 815, 0, 0xE979, 0x42F6); // helium 81.5 %; at 2: 123.456 K, little word order
        store.SetHoldingRegisters(10, 1, 0b0001);
        await using var server = new ModbusServer(store);
        var endpoint = server.StartTcp(new IPEndPoint(IPAddress.Loopback, 0));
        var profile = Profile(ModbusProfileTests.Example.Split("  registers:\n")[1].Replace("00:00:01", "00:00:00.050", StringComparison.Ordinal));
        await using var buses = new ModbusBusRegistry(new ModbusTransportFactory(), TimeProvider.System);
        var adapter = Adapter("mr-01", profile, new ModbusDeviceOptions { Endpoint = $"tcp://127.0.0.1:{endpoint.Port}" }, buses);
        var sink = new RecordingSink();
        using var cts = new CancellationTokenSource(Bound);
        var run = adapter.RunAsync(sink, cts.Token);

        await Wait.UntilAsync(() => sink.Metrics.Any(m => m.Name == "cold_head_temp"), Bound, "the first poll");
        Assert.Equal(81.5, sink.Metrics.First(m => m.Name == "helium_level").Value, 6);
        Assert.Equal(123.456, sink.Metrics.First(m => m.Name == "cold_head_temp").Value, 3);
        Assert.Equal(AdapterState.Ok, adapter.Status.State);
        Assert.Contains(sink.Events, e => e.Type == EventTypes.State && e.Data["state"].ToString() == "building");
        Assert.Contains(sink.Events, e => e.Type == EventTypes.Fault && e.Data["code"].ToString() == "COMP_OFF");
        // Three blocks: FC02 bit 5, FC03 10..13, FC04 0..3.
        Assert.Equal(3, adapter.Plan.Count);

        store.SetHoldingRegisters(10, 3, 0b1000, 0, 5);
        await Wait.UntilAsync(() => sink.Events.Count(e => e.Type == "x-acme.recoater") == 5, Bound, "five recoater events");
        Assert.Contains(sink.Events, e => e.Type == EventTypes.Fault && e.Data["code"].ToString() == "CHILLER_FLOW" && e.Data["active"].ToString() == "true");
        Assert.Contains(sink.Events, e => e.Type == EventTypes.Fault && e.Data["code"].ToString() == "COMP_OFF" && e.Data["active"].ToString() == "false");
        Assert.Contains(sink.Events, e => e.Type == EventTypes.State && e.Data["state"].ToString() == "fault" && e.Data["previous"].ToString() == "building");
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
    }

    [Fact]
    public async Task Run_RegisterOutsideDevice_ExceptionResponsesCountedDegradedOthersRead()
    {
        var store = new ModbusDataStore(holdingRegisters: 10);
        store.SetInputRegisters(0, 7);
        await using var server = new ModbusServer(store);
        var endpoint = server.StartTcp(new IPEndPoint(IPAddress.Loopback, 0));
        var profile = Profile("    - { name: ok, function: 4, address: 0 }\n    - { name: missing, function: 3, address: 500 }\n");
        await using var buses = new ModbusBusRegistry(new ModbusTransportFactory(), TimeProvider.System);
        var adapter = Adapter("ct-01", profile, new ModbusDeviceOptions { Endpoint = $"tcp://127.0.0.1:{endpoint.Port}" }, buses);
        var sink = new RecordingSink();
        using var cts = new CancellationTokenSource(Bound);
        var run = adapter.RunAsync(sink, cts.Token);

        await Wait.UntilAsync(() => adapter.ExceptionResponses >= 3, Bound, "exception responses");
        Assert.Equal(AdapterState.Degraded, adapter.Status.State);
        Assert.Contains("ILLEGAL DATA ADDRESS", adapter.Status.LastError, StringComparison.Ordinal);
        Assert.Contains(sink.Metrics, m => m.Name == "ok" && m.Value == 7);
        Assert.Equal(ModbusBreakerState.Closed, adapter.BreakerState);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
    }

    [Fact]
    public async Task Run_LiveAndDeadUnitOnOneRtuBus_BreakerKeepsLivePollRate()
    {
        var store = new ModbusDataStore();
        await using var server = new ModbusServer(unit => unit == 1 ? store : null);
        var endpoint = server.StartRtuOverTcp(new IPEndPoint(IPAddress.Loopback, 0));
        var profile = Profile("    - { name: level, function: 4, address: 0 }\n");
        var bus = $"rtu+tcp://127.0.0.1:{endpoint.Port}";
        // A dead unit costs the bus a full timeout per try: 250 ms against a 50 ms poll interval.
        ModbusDeviceOptions Options(int unit) => new()
        {
            Endpoint = bus, UnitId = unit, BaudRate = 115200, Timeout = TimeSpan.FromMilliseconds(250), Retries = 0,
            BreakerFailures = 2, BreakerOpenDelay = TimeSpan.FromMilliseconds(500), BreakerMaxOpenDelay = TimeSpan.FromSeconds(1),
        };
        await using var buses = new ModbusBusRegistry(new ModbusTransportFactory(), TimeProvider.System);
        var live = Adapter("live", profile, Options(1), buses);
        var dead = Adapter("dead", profile, Options(2), buses);
        var sink = new RecordingSink();
        using var cts = new CancellationTokenSource(Bound);
        var runs = new[] { live.RunAsync(sink, cts.Token), dead.RunAsync(sink, cts.Token) };

        await Wait.UntilAsync(() => dead.BreakerState != ModbusBreakerState.Closed, Bound, "the dead unit's breaker to open");
        var window = TimeSpan.FromSeconds(3);
        var (livePolls, deadTries) = (live.Polls, dead.FailedPolls + dead.Polls);
        var clock = Stopwatch.StartNew();
        await Wait.UntilAsync(() => clock.Elapsed >= window, window + Bound, "the measuring window");
        var elapsed = clock.Elapsed;
        livePolls = live.Polls - livePolls;
        deadTries = dead.FailedPolls + dead.Polls - deadTries;
        var possible = elapsed / TimeSpan.FromMilliseconds(50);
        output.WriteLine($"live polls {livePolls} of {possible:0} in {elapsed}; dead tries {deadTries}, breaker {dead.BreakerState}");

        // Without the breaker the dead unit would try every 50 ms poll and cost the bus 250 ms each time, leaving the
        // live unit one poll per timeout (~12 of 60). With it the dead unit only probes, at most every 500 ms: the bus
        // time it takes is bounded whatever the machine's load, and the live unit gets well over that.
        Assert.InRange(deadTries, 0, (long)(elapsed / TimeSpan.FromMilliseconds(500)) + 2);
        Assert.True(livePolls >= possible * 0.4, $"live unit polled {livePolls} times in {elapsed}, expected at least {possible * 0.4:0}");
        Assert.Equal(AdapterState.Down, dead.Status.State);
        Assert.Contains("circuit open", dead.Status.LastError, StringComparison.Ordinal);
        Assert.Equal(AdapterState.Ok, live.Status.State);
        Assert.InRange(dead.FailedPolls, 2, 2 + 8);
        await cts.CancelAsync();
        foreach (var run in runs) await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
    }
}
