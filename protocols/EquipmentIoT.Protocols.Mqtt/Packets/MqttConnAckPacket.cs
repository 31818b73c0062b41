namespace EquipmentIoT.Protocols.Mqtt.Packets;

/// <summary>CONNACK, section 3.2.</summary>
public sealed class MqttConnAckPacket : MqttPacket
{
    /// <inheritdoc/>
    public override MqttPacketType Type => MqttPacketType.ConnAck;
    /// <summary>The server holds a session from before.</summary>
    public bool SessionPresent { get; init; }
    /// <summary>The return code.</summary>
    public MqttConnectReturnCode ReturnCode { get; init; }
}
