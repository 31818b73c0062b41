namespace EquipmentIoT.Protocols.Mqtt.Packets;

/// <summary>UNSUBSCRIBE, section 3.10.</summary>
public sealed class MqttUnsubscribePacket : MqttPacketWithIdentifier
{
    /// <inheritdoc/>
    public override MqttPacketType Type => MqttPacketType.Unsubscribe;
    /// <summary>At least one topic filter.</summary>
    public IReadOnlyList<string> TopicFilters { get; init; } = [];
}
