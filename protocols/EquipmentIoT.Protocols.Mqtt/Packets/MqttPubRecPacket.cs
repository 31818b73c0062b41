namespace EquipmentIoT.Protocols.Mqtt.Packets;

/// <summary>PUBREC: Publish received, section 3.5.</summary>
public sealed class MqttPubRecPacket : MqttPacketWithIdentifier
{
    /// <inheritdoc/>
    public override MqttPacketType Type => MqttPacketType.PubRec;
}
