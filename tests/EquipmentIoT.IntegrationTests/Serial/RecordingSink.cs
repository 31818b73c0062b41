using EquipmentIoT.EdgeAgent.Collection;
using EquipmentIoT.Protocols.Telemetry.Model;

namespace EquipmentIoT.IntegrationTests.Serial;

/// <summary>Keeps what an adapter hands over (thread-safe snapshots).</summary>
internal sealed class RecordingSink : ITelemetrySink
{
    private readonly Lock _gate = new();
    private readonly List<MetricPoint> _metrics = [];
    private readonly List<TelemetryEvent> _events = [];

    public IReadOnlyList<MetricPoint> Metrics
    {
        get
        {
            lock (_gate) return [.. _metrics];
        }
    }

    public IReadOnlyList<TelemetryEvent> Events
    {
        get
        {
            lock (_gate) return [.. _events];
        }
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
