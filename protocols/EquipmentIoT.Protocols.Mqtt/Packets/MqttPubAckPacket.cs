namespace EquipmentIoT.Protocols.Mqtt.Packets;

/// <summary>PUBACK: Publish acknowledgement, section 3.4.</summary>
public sealed class MqttPubAckPacket : MqttPacketWithIdentifier
{
    /// <inheritdoc/>
    public override MqttPacketType Type => MqttPacketType.PubAck;
}
