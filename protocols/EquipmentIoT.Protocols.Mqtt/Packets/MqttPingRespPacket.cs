namespace EquipmentIoT.Protocols.Mqtt.Packets;

/// <summary>PINGRESP: Ping response, section 3.13. It has no variable header and no payload.</summary>
public sealed class MqttPingRespPacket : MqttPacket
{
    /// <summary>The one instance: the packet carries no data.</summary>
    public static readonly MqttPingRespPacket Instance = new();

    /// <inheritdoc/>
    public override MqttPacketType Type => MqttPacketType.PingResp;
}
