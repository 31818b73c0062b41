using System.Diagnostics;
using System.Globalization;
using System.Runtime.Versioning;
using System.Text;
using EquipmentIoT.EdgeAgent.Adapters.Modbus;
using EquipmentIoT.EdgeAgent.Collection;
using EquipmentIoT.EdgeAgent.Profiles;
using EquipmentIoT.Protocols.Telemetry.Model;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;

namespace EquipmentIoT.Bench.Modbus;

/// <summary>What the adapters did.</summary>
/// <param name="Poll">Polls (one FC3 request each) and registers read; CPU of this process (adapters and sink).</param>
/// <param name="Metrics">Metric points in the sink.</param>
internal sealed record AdapterPollResult(PollResult Poll, long Metrics);

/// <summary>
/// The agent's path: <c>devices</c> ModbusAdapters on one endpoint share one ModbusBus (one master, one request
/// at a time) from a ModbusBusRegistry; each polls N uint16 holding registers (one read block) at the shortest
/// poll interval a profile allows (10 ms), decodes them and hands N metrics a poll to a counting sink.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class AdapterPollRun
{
    public static async Task<AdapterPollResult> RunAsync(int port, int registers, int devices, TimeSpan duration, CancellationToken cancellationToken)
    {
        var yaml = new StringBuilder("profile: bench\nkind: bench\nmodbus:\n  pollInterval: 00:00:00.010\n  registers:\n");
        for (var i = 0; i < registers; i++) yaml.Append(CultureInfo.InvariantCulture, $"    - {{ name: r{i}, function: 3, address: {i}, type: uint16 }}\n");
        var loaded = ProfileLoader.Parse("bench.yaml", yaml.ToString());
        if (!loaded.Success) throw new InvalidOperationException(string.Join("; ", loaded.Describe()));

        var sink = new MetricCounter();
        await using var buses = new ModbusBusRegistry(new ModbusTransportFactory(), TimeProvider.System);
        var adapters = Enumerable.Range(1, devices).Select(d => new ModbusAdapter($"dev-{d}", loaded.Profile!.Modbus!,
            new ModbusDeviceOptions { Endpoint = $"tcp://127.0.0.1:{port}" }, buses, SystemClock.Instance, TimeProvider.System,
            NullLogger<ModbusAdapter>.Instance)).ToList();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var runs = adapters.Select(a => Task.Run(() => a.RunAsync(sink, stop.Token), CancellationToken.None)).ToList();

        // A second of warm-up (connect, JIT), then the measured window between two readings of the counters.
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
        var polls = adapters.Sum(a => a.Polls);
        var metrics = sink.Metrics;
        var cpu = CpuTime();
        var start = Stopwatch.GetTimestamp();
        await Task.Delay(duration, cancellationToken).ConfigureAwait(false);
        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        polls = adapters.Sum(a => a.Polls) - polls;
        metrics = sink.Metrics - metrics;
        var cpuSeconds = (CpuTime() - cpu).TotalSeconds;
        var failed = adapters.Sum(a => a.FailedPolls);

        await stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(runs).WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped as asked.
        }

        if (failed > 0) throw new InvalidOperationException($"{failed} adapter polls failed");
        return new AdapterPollResult(new PollResult(polls, polls * registers, seconds, cpuSeconds), metrics);
    }

    private static TimeSpan CpuTime()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    private sealed class MetricCounter : ITelemetrySink
    {
        private long _metrics;

        public long Metrics => Interlocked.Read(ref _metrics);

        public void AddMetric(in MetricPoint point) => Interlocked.Increment(ref _metrics);

        public void AddEvent(TelemetryEvent telemetryEvent)
        {
        }
    }
}
