using EquipmentIoT.EdgeAgent.Collection;
using EquipmentIoT.Protocols.Telemetry.Model;

namespace EquipmentIoT.Bench.Serial;

/// <summary>Counts what the adapter hands on, keeping nothing.</summary>
internal sealed class CountingSink : ITelemetrySink
{
    private long _metrics;
    private long _events;

    public long Metrics => Interlocked.Read(ref _metrics);

    public long Events => Interlocked.Read(ref _events);

    public void AddMetric(in MetricPoint point) => Interlocked.Increment(ref _metrics);

    public void AddEvent(TelemetryEvent telemetryEvent) => Interlocked.Increment(ref _events);
}
