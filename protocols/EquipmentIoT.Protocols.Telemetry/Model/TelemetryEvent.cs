using NodaTime;

namespace EquipmentIoT.Protocols.Telemetry.Model;

/// <summary>
/// Something that happened at a device (SPEC.md §events): a state change, a fault code, an exam started
/// or completed, a build started/layer/finished, … Events travel on the events stream and are never
/// dropped by the agent's buffer.
/// </summary>
/// <param name="Device">The device id from the agent's configuration.</param>
/// <param name="Type">The event type, e.g. "state", "fault", "exam.started" (see <see cref="EventTypes"/>).</param>
/// <param name="Timestamp">When it happened (UTC).</param>
/// <param name="Data">The event's attributes: names are ASCII identifiers, values JSON scalars.</param>
public sealed record TelemetryEvent(string Device, string Type, Instant Timestamp, IReadOnlyDictionary<string, EventValue> Data)
{
    /// <summary>An event without attributes.</summary>
    public TelemetryEvent(string device, string type, Instant timestamp)
        : this(device, type, timestamp, new Dictionary<string, EventValue>(0))
    {
    }
}
