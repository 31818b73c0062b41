namespace EquipmentIoT.Protocols.Mqtt.Client;

/// <summary>The client is connected (first time or after a reconnect).</summary>
public sealed class MqttConnectedEventArgs(bool sessionPresent, int redelivered, bool isReconnect) : EventArgs
{
    /// <summary>The broker kept our session (CONNACK session present).</summary>
    public bool SessionPresent { get; } = sessionPresent;

    /// <summary>Unacknowledged PUBLISH/PUBREL packets sent again with DUP after connecting.</summary>
    public int Redelivered { get; } = redelivered;

    /// <summary>False for the first connection made by ConnectAsync.</summary>
    public bool IsReconnect { get; } = isReconnect;
}

/// <summary>The connection was lost or closed.</summary>
public sealed class MqttDisconnectedEventArgs(Exception? reason, bool willReconnect) : EventArgs
{
    /// <summary>Why; null after a requested disconnect.</summary>
    public Exception? Reason { get; } = reason;

    /// <summary>The client will try to connect again.</summary>
    public bool WillReconnect { get; } = willReconnect;
}

/// <summary>The client is about to wait and try again.</summary>
public sealed class MqttReconnectingEventArgs(int attempt, TimeSpan delay, Exception lastError) : EventArgs
{
    /// <summary>Attempt number, 1 for the first retry.</summary>
    public int Attempt { get; } = attempt;

    /// <summary>How long the client waits before the attempt.</summary>
    public TimeSpan Delay { get; } = delay;

    /// <summary>What made the previous attempt (or the connection) fail.</summary>
    public Exception LastError { get; } = lastError;
}

/// <summary>Counters for health reporting; read with <see cref="MqttClient.GetStatistics"/>.</summary>
public readonly record struct MqttClientStatistics(
    long Published,
    long Acknowledged,
    long Redelivered,
    long Received,
    long DuplicatesIgnored,
    long Reconnects,
    int InFlight);
