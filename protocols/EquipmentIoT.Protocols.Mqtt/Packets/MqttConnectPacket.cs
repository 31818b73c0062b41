namespace EquipmentIoT.Protocols.Mqtt.Packets;

/// <summary>CONNECT, section 3.1.</summary>
public sealed class MqttConnectPacket : MqttPacket
{
    /// <inheritdoc/>
    public override MqttPacketType Type => MqttPacketType.Connect;
    /// <summary>Protocol level: 4 for MQTT 3.1.1.</summary>
    public byte ProtocolLevel { get; init; } = 4;
    /// <summary>Client identifier; may be empty with a clean session.</summary>
    public string ClientId { get; init; } = "";
    /// <summary>Clean session flag.</summary>
    public bool CleanSession { get; init; } = true;
    /// <summary>Keep-alive in seconds; 0 turns it off.</summary>
    public ushort KeepAliveSeconds { get; init; }
    /// <summary>Will topic; null when there is no will.</summary>
    public string? WillTopic { get; init; }
    /// <summary>Will message.</summary>
    public ReadOnlyMemory<byte> WillMessage { get; init; }
    /// <summary>Will QoS.</summary>
    public MqttQualityOfService WillQualityOfService { get; init; }
    /// <summary>Will retain flag.</summary>
    public bool WillRetain { get; init; }
    /// <summary>User name, or null.</summary>
    public string? UserName { get; init; }
    /// <summary>Password, or null.</summary>
    public ReadOnlyMemory<byte>? Password { get; init; }
}
