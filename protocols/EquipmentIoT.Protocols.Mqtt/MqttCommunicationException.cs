namespace EquipmentIoT.Protocols.Mqtt;

/// <summary>
/// The connection to the broker failed or was refused: socket and TLS errors, a CONNACK refusal, a dead
/// connection found by keep-alive. <see cref="IsTransient"/> is the only retry signal: a lost connection
/// is transient, an untrusted server certificate or bad credentials are not.
/// </summary>
public sealed class MqttCommunicationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public MqttCommunicationException(string message, bool isTransient, Exception? inner = null)
        : base(message, inner) => IsTransient = isTransient;

    /// <summary>Creates a transient exception.</summary>
    public MqttCommunicationException(string message) : this(message, true) { }

    /// <summary>Creates a transient exception with an inner cause.</summary>
    public MqttCommunicationException(string message, Exception inner) : this(message, true, inner) { }

    /// <summary>Creates a transient exception.</summary>
    public MqttCommunicationException() : this("MQTT communication failed", true) { }

    /// <summary>True when trying again later may succeed.</summary>
    public bool IsTransient { get; }

    /// <summary>The CONNACK return code when the broker refused the connection.</summary>
    public MqttConnectReturnCode? ReturnCode { get; init; }
}
