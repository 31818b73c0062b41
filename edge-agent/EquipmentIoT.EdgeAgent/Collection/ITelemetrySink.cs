using EquipmentIoT.Protocols.Telemetry.Model;

namespace EquipmentIoT.EdgeAgent.Collection;

/// <summary>
/// Where adapters hand what they read. Adding never blocks an adapter: readings go into the batch
/// being filled; events are scrubbed of patient data here, before anything is buffered.
/// </summary>
public interface ITelemetrySink
{
    /// <summary>Adds one reading to the metrics stream.</summary>
    void AddMetric(in MetricPoint point);

    /// <summary>Adds one event to the events stream (never dropped); patient data is scrubbed first.</summary>
    void AddEvent(TelemetryEvent telemetryEvent);
}
