namespace EquipmentIoT.Protocols.Mqtt.Packets;

/// <summary>DISCONNECT: Disconnect notification, section 3.14. It has no variable header and no payload.</summary>
public sealed class MqttDisconnectPacket : MqttPacket
{
    /// <summary>The one instance: the packet carries no data.</summary>
    public static readonly MqttDisconnectPacket Instance = new();

    /// <inheritdoc/>
    public override MqttPacketType Type => MqttPacketType.Disconnect;
}
