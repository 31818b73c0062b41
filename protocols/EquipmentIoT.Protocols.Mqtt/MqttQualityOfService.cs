namespace EquipmentIoT.Protocols.Mqtt;

/// <summary>Quality of service levels, MQTT 3.1.1 section 4.3.</summary>
public enum MqttQualityOfService : byte
{
    /// <summary>At most once.</summary>
    AtMostOnce = 0,
    /// <summary>At least once (PUBACK).</summary>
    AtLeastOnce = 1,
    /// <summary>Exactly once (PUBREC, PUBREL, PUBCOMP).</summary>
    ExactlyOnce = 2,
}
