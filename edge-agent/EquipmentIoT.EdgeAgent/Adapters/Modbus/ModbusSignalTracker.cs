using EquipmentIoT.EdgeAgent.Collection;
using EquipmentIoT.Protocols.Telemetry.Model;
using NodaTime;

namespace EquipmentIoT.EdgeAgent.Adapters.Modbus;

/// <summary>
/// Turns decoded values into telemetry: metrics every poll; state events when a state value changes; fault
/// events when a flag bit changes (on the first poll only the active ones); counter events, one per increment.
/// Remembers the last value of each state, flags and counter register between polls.
/// </summary>
public sealed class ModbusSignalTracker(string device)
{
    /// <summary>Events emitted for one counter jump at most; a larger jump is a reset or a missed stretch, logged by the adapter.</summary>
    public const int MaxCounterEventsPerPoll = 1000;

    private readonly Dictionary<string, long> _last = new(StringComparer.Ordinal);

    /// <summary>Counter jumps larger than <see cref="MaxCounterEventsPerPoll"/> or backwards (resets) since start.</summary>
    public long CounterDiscontinuities { get; private set; }

    /// <summary>Emits what <paramref name="value"/> of <paramref name="point"/> means.</summary>
    public void Apply(ModbusRegisterMap point, ModbusValue value, Instant now, ITelemetrySink sink)
    {
        ArgumentNullException.ThrowIfNull(point);
        ArgumentNullException.ThrowIfNull(sink);
        var had = _last.TryGetValue(point.Name, out var previous);
        switch (point.ValueKind)
        {
            case ModbusValueKind.Metric:
                sink.AddMetric(new MetricPoint(device, point.Name, point.Unit, now, value.Scaled));
                return;
            case ModbusValueKind.State:
                if (had && previous == value.Bits) return;
                var data = new Dictionary<string, EventValue> { ["state"] = StateName(point, value.Bits), ["machine"] = point.Name };
                if (had) data["previous"] = StateName(point, previous);
                sink.AddEvent(new TelemetryEvent(device, EventTypes.State, now, data));
                break;
            case ModbusValueKind.Flags:
                foreach (var (bit, flag) in point.Flags ?? [])
                {
                    var mask = 1L << bit;
                    var active = (value.Bits & mask) != 0;
                    if (had ? ((previous & mask) != 0) == active : !active) continue;
                    sink.AddEvent(new TelemetryEvent(device, EventTypes.Fault, now, new Dictionary<string, EventValue>
                    {
                        ["code"] = flag.Code,
                        ["active"] = active,
                        ["text"] = flag.Text ?? flag.Code,
                        ["severity"] = flag.Severity,
                    }));
                }

                break;
            case ModbusValueKind.Counter:
                sink.AddMetric(new MetricPoint(device, point.Name, point.Unit, now, value.Scaled));
                if (!had || point.Event is null || value.Bits == previous) break;
                var increments = value.Bits - previous;
                if (increments < 0 || increments > MaxCounterEventsPerPoll)
                {
                    CounterDiscontinuities++;
                    break;
                }

                for (var count = previous + 1; count <= value.Bits; count++)
                {
                    sink.AddEvent(new TelemetryEvent(device, point.Event, now,
                        new Dictionary<string, EventValue> { ["counter"] = point.Name, ["count"] = count }));
                }

                break;
        }

        _last[point.Name] = value.Bits;
    }

    private static string StateName(ModbusRegisterMap point, long raw) =>
        point.States is not null && point.States.TryGetValue(raw, out var name) ? name : $"unknown({raw})";
}
