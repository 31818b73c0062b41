namespace EquipmentIoT.Protocols.Mqtt.Client;

/// <summary>Where the client stands; one explicit state rather than a set of booleans.</summary>
public enum MqttClientState
{
    /// <summary>Not connected and not trying (before ConnectAsync, after DisconnectAsync or giving up).</summary>
    Disconnected,
    /// <summary>ConnectAsync is running.</summary>
    Connecting,
    /// <summary>Connected: CONNACK accepted.</summary>
    Connected,
    /// <summary>The connection was lost; the client is waiting to try again or trying.</summary>
    Reconnecting,
    /// <summary>DisconnectAsync is running.</summary>
    Disconnecting,
    /// <summary>Disposed.</summary>
    Disposed,
}
