namespace EquipmentIoT.Protocols.Mqtt;

/// <summary>
/// The peer broke the MQTT 3.1.1 rules (a malformed packet, a packet too large, an unexpected packet).
/// Not transient: the connection that carried it is closed. Decode errors name the packet, the field
/// and the byte offset within the packet.
/// </summary>
public sealed class MqttProtocolException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MqttProtocolException(string message) : base(message) { }

    /// <summary>Creates the exception with an inner cause.</summary>
    public MqttProtocolException(string message, Exception inner) : base(message, inner) { }

    /// <summary>Creates the exception.</summary>
    public MqttProtocolException() : base("MQTT protocol violation") { }

    internal static MqttProtocolException Field(string packet, string field, long offset, string problem) =>
        new($"MQTT {packet}: {field} at offset {offset}: {problem}");
}
