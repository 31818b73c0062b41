namespace EquipmentIoT.Protocols.Mqtt.Packets;

/// <summary>UNSUBACK: Unsubscribe acknowledgement, section 3.11.</summary>
public sealed class MqttUnsubAckPacket : MqttPacketWithIdentifier
{
    /// <inheritdoc/>
    public override MqttPacketType Type => MqttPacketType.UnsubAck;
}
