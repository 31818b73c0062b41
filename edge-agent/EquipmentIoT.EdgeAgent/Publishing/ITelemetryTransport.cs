namespace EquipmentIoT.EdgeAgent.Publishing;

/// <summary>A command the cloud sent to this agent: its name (the last topic level, e.g. "resend") and JSON body.</summary>
public sealed record TransportCommand(string Name, ReadOnlyMemory<byte> Payload);

/// <summary>
/// Carries signed batches, the agent's state record and command replies to the cloud, and commands
/// back. One implementation per way to the cloud (an MQTT broker, Azure IoT Hub); the rest of the
/// agent never knows which one is configured.
/// </summary>
public interface ITelemetryTransport : IAsyncDisposable
{
    /// <summary>"mqtt" or "azure-iot-hub", for logs and the health record.</summary>
    string Name { get; }

    /// <summary>True while a connection to the cloud is up.</summary>
    bool IsConnected { get; }

    /// <summary>Called for each command from the cloud; the command is acknowledged when this returns.</summary>
    Func<TransportCommand, CancellationToken, ValueTask>? CommandReceived { get; set; }

    /// <summary>Raised on every (re)connect; the argument says whether the broker kept our session.</summary>
    event EventHandler<bool>? Connected;

    /// <summary>Raised when the connection is lost (the transport reconnects by itself).</summary>
    event EventHandler<Exception?>? Disconnected;

    /// <summary>
    /// Connects for the first time, retrying with backoff until it succeeds or the token is cancelled;
    /// afterwards the transport reconnects by itself. Refusals (bad credentials, not authorised) are
    /// retried too, and reported through <see cref="Disconnected"/> so the health record can show them.
    /// </summary>
    Task ConnectAsync(CancellationToken cancellationToken);

    /// <summary>Publishes one signed batch (JWS compact bytes); completes when the broker acknowledged it (QoS 1).</summary>
    ValueTask PublishTelemetryAsync(string stream, long seq, ReadOnlyMemory<byte> jws, CancellationToken cancellationToken);

    /// <summary>Publishes the agent's state/health record (retained on MQTT, a reported-properties patch on IoT Hub).</summary>
    ValueTask PublishStateAsync(ReadOnlyMemory<byte> stateJson, CancellationToken cancellationToken);

    /// <summary>Publishes the reply to a command (e.g. what a resend could and could not republish).</summary>
    ValueTask PublishReplyAsync(string command, ReadOnlyMemory<byte> replyJson, CancellationToken cancellationToken);

    /// <summary>Says goodbye cleanly: marks the state offline where the transport can, then disconnects.</summary>
    Task DisconnectAsync(ReadOnlyMemory<byte> offlineStateJson, CancellationToken cancellationToken);
}
