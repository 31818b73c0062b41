namespace EquipmentIoT.Protocols.Mqtt.Packets;

/// <summary>PUBREL: Publish release, section 3.6.</summary>
public sealed class MqttPubRelPacket : MqttPacketWithIdentifier
{
    /// <inheritdoc/>
    public override MqttPacketType Type => MqttPacketType.PubRel;
}
