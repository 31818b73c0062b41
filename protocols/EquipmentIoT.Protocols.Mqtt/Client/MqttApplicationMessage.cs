namespace EquipmentIoT.Protocols.Mqtt.Client;

/// <summary>A message the broker delivered to this client.</summary>
public sealed class MqttApplicationMessage
{
    /// <summary>Creates a message.</summary>
    public MqttApplicationMessage(string topic, ReadOnlyMemory<byte> payload, MqttQualityOfService qualityOfService, bool retain, bool dup)
    {
        Topic = topic;
        Payload = payload;
        QualityOfService = qualityOfService;
        Retain = retain;
        Dup = dup;
    }

    /// <summary>Topic name.</summary>
    public string Topic { get; }

    /// <summary>Payload bytes; the message owns them.</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>QoS the broker delivered it with.</summary>
    public MqttQualityOfService QualityOfService { get; }

    /// <summary>True for a retained message sent on subscription (3.3.1.3).</summary>
    public bool Retain { get; }

    /// <summary>True when the broker says this may be a redelivery (3.3.1.1).</summary>
    public bool Dup { get; }
}

/// <summary>
/// Receives messages. For QoS 1 and 2 the acknowledgement (PUBACK / PUBREC) is sent only after the
/// returned task completes, so a handler that stores the message durably before returning gets
/// at-least-once end to end. A handler that throws leaves the message unacknowledged and the client
/// drops the connection so that the broker redelivers it (4.4).
/// </summary>
public delegate ValueTask MqttMessageHandler(MqttApplicationMessage message, CancellationToken cancellationToken);
