namespace EquipmentIoT.Protocols.Mqtt.Packets;

/// <summary>PINGREQ: Ping request, section 3.12. It has no variable header and no payload.</summary>
public sealed class MqttPingReqPacket : MqttPacket
{
    /// <summary>The one instance: the packet carries no data.</summary>
    public static readonly MqttPingReqPacket Instance = new();

    /// <inheritdoc/>
    public override MqttPacketType Type => MqttPacketType.PingReq;
}
