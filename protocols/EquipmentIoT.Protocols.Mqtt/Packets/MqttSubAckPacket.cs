namespace EquipmentIoT.Protocols.Mqtt.Packets;

/// <summary>SUBACK return codes, section 3.9.3.</summary>
public enum MqttSubscribeReturnCode : byte
{
    /// <summary>Granted QoS 0.</summary>
    GrantedQos0 = 0,
    /// <summary>Granted QoS 1.</summary>
    GrantedQos1 = 1,
    /// <summary>Granted QoS 2.</summary>
    GrantedQos2 = 2,
    /// <summary>The subscription was refused.</summary>
    Failure = 0x80,
}

/// <summary>SUBACK, section 3.9.</summary>
public sealed class MqttSubAckPacket : MqttPacketWithIdentifier
{
    /// <inheritdoc/>
    public override MqttPacketType Type => MqttPacketType.SubAck;
    /// <summary>One return code per requested filter, in order.</summary>
    public IReadOnlyList<MqttSubscribeReturnCode> ReturnCodes { get; init; } = [];
}
