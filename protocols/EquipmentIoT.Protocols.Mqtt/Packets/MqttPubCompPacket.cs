namespace EquipmentIoT.Protocols.Mqtt.Packets;

/// <summary>PUBCOMP: Publish complete, section 3.7.</summary>
public sealed class MqttPubCompPacket : MqttPacketWithIdentifier
{
    /// <inheritdoc/>
    public override MqttPacketType Type => MqttPacketType.PubComp;
}
