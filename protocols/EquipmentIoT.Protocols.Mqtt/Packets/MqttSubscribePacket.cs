namespace EquipmentIoT.Protocols.Mqtt.Packets;

/// <summary>One topic filter and its requested QoS in a SUBSCRIBE.</summary>
public readonly record struct MqttTopicSubscription(string TopicFilter, MqttQualityOfService QualityOfService);

/// <summary>SUBSCRIBE, section 3.8.</summary>
public sealed class MqttSubscribePacket : MqttPacketWithIdentifier
{
    /// <inheritdoc/>
    public override MqttPacketType Type => MqttPacketType.Subscribe;
    /// <summary>At least one subscription.</summary>
    public IReadOnlyList<MqttTopicSubscription> Subscriptions { get; init; } = [];
}
