namespace EquipmentIoT.Protocols.Mqtt.Packets;

/// <summary>PUBLISH, section 3.3.</summary>
public sealed class MqttPublishPacket : MqttPacket
{
    /// <inheritdoc/>
    public override MqttPacketType Type => MqttPacketType.Publish;
    /// <summary>Topic name (no wildcards).</summary>
    public string Topic { get; init; } = "";
    /// <summary>Application payload.</summary>
    public ReadOnlyMemory<byte> Payload { get; init; }
    /// <summary>Quality of service.</summary>
    public MqttQualityOfService QualityOfService { get; init; }
    /// <summary>Retain flag.</summary>
    public bool Retain { get; init; }
    /// <summary>Duplicate delivery flag.</summary>
    public bool Dup { get; init; }
    /// <summary>Packet identifier; 0 for QoS 0.</summary>
    public ushort PacketIdentifier { get; init; }
}
