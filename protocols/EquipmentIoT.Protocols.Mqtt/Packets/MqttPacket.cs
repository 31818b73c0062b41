namespace EquipmentIoT.Protocols.Mqtt.Packets;

/// <summary>A decoded MQTT control packet: plain data, no behaviour.</summary>
public abstract class MqttPacket
{
    /// <summary>The control packet type.</summary>
    public abstract MqttPacketType Type { get; }
}

/// <summary>A packet whose variable header is only a packet identifier.</summary>
public abstract class MqttPacketWithIdentifier : MqttPacket
{
    /// <summary>Packet identifier, 1..65535 (section 2.3.1).</summary>
    public ushort PacketIdentifier { get; init; }
}
