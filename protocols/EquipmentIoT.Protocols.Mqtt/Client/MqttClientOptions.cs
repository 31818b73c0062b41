using System.Security.Cryptography.X509Certificates;

namespace EquipmentIoT.Protocols.Mqtt.Client;

/// <summary>The last will (3.1.2.5): published by the broker when the connection ends without DISCONNECT.</summary>
public sealed record MqttWill(string Topic, ReadOnlyMemory<byte> Payload, MqttQualityOfService QualityOfService, bool Retain);

/// <summary>TLS settings: server validation against a custom CA, optional client certificate (mTLS).</summary>
public sealed class MqttTlsOptions
{
    /// <summary>
    /// CA certificates to trust instead of the system store; empty means the system store.
    /// </summary>
    public X509Certificate2Collection TrustedCertificates { get; init; } = [];

    /// <summary>Client certificates (with private keys) offered to the broker.</summary>
    public X509Certificate2Collection ClientCertificates { get; init; } = [];

    /// <summary>Name checked against the server certificate; defaults to the host name.</summary>
    public string? TargetHost { get; init; }

    /// <summary>Skips server validation entirely. For commissioning only: the CLI calls it --insecure.</summary>
    public bool AllowUntrustedServer { get; init; }
}

/// <summary>Everything an <see cref="MqttClient"/> needs; build it with <see cref="MqttClientOptionsBuilder"/>.</summary>
public sealed record MqttClientOptions
{
    /// <summary>Broker host name or address.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>Broker port.</summary>
    public int Port { get; init; } = 1883;

    /// <summary>Client identifier; empty asks the broker to assign one (clean session only, 3.1.3-7).</summary>
    public string ClientId { get; init; } = "";

    /// <summary>Clean session (3.1.2.4). False keeps subscriptions and queued messages while we are away.</summary>
    public bool CleanSession { get; init; } = true;

    /// <summary>Keep-alive interval (3.1.2.10); zero turns it off.</summary>
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long to wait for PINGRESP before the connection is declared dead.</summary>
    public TimeSpan PingTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Time allowed for TCP connect, TLS handshake and CONNACK.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Time allowed for SUBACK / UNSUBACK.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>User name, or null.</summary>
    public string? UserName { get; init; }

    /// <summary>Password, or null (needs a user name in 3.1.1).</summary>
    public string? Password { get; init; }

    /// <summary>
    /// Called before every CONNECT (first connect and each reconnect); overrides <see cref="Password"/>.
    /// For credentials that expire, such as Azure IoT Hub SAS tokens.
    /// </summary>
    public Func<string?>? PasswordProvider { get; init; }

    /// <summary>Last will, or null.</summary>
    public MqttWill? Will { get; init; }

    /// <summary>TLS settings, or null for plain TCP.</summary>
    public MqttTlsOptions? Tls { get; init; }

    /// <summary>Largest packet accepted from the broker; larger ones close the connection.</summary>
    public int MaxIncomingPacketSize { get; init; } = 4 * 1024 * 1024;

    /// <summary>
    /// QoS 1 and 2 messages that may await acknowledgement at once; further publishes wait. The default
    /// is mosquitto's <c>max_inflight_messages</c> (20), which mosquitto also applies to QoS 2 messages it
    /// receives: beyond it, it answers PUBREC and drops the message, and MQTT 3.1.1 gives us no way to
    /// notice. Raise it only for QoS 1, or for a broker known to accept more.
    /// </summary>
    public int MaxInflight { get; init; } = 20;

    /// <summary>Bytes queued for the socket above which QoS 0 publishers wait (back-pressure).</summary>
    public int OutgoingHighWaterBytes { get; init; } = 1024 * 1024;

    /// <summary>Received messages buffered ahead of the handler; when full the client stops reading.</summary>
    public int ReceiveQueueCapacity { get; init; } = 1024;

    /// <summary>
    /// Received QoS 0/1 messages whose handler may run at once. With 1 (the default) each handler's task
    /// completes and its message is acknowledged before the next handler is called. Above 1 the client
    /// calls handlers in arrival order without waiting for the previous task, keeps at most this many
    /// tasks outstanding, and sends PUBACKs in arrival order as the tasks complete, oldest first (4.6),
    /// so that a handler that commits in groups sees many messages per commit. A failed task leaves its
    /// message and every later one of the same connection unacknowledged (the connection is dropped, the
    /// broker redelivers them). QoS 2 messages are always handled one at a time, after the pipeline is
    /// empty (exactly-once needs the id recorded before a redelivered copy is looked at). The broker
    /// limits what it sends unacknowledged too (mosquitto: <c>max_inflight_messages</c>, 20 by default).
    /// </summary>
    public int MaxPendingAcknowledgements { get; init; } = 1;

    /// <summary>Reconnect by itself after the connection is lost.</summary>
    public bool AutoReconnect { get; init; } = true;

    /// <summary>Backoff for reconnects.</summary>
    public MqttRetryPolicy RetryPolicy { get; init; } = MqttRetryPolicy.Default;

    /// <summary>
    /// When false (the default, fastest), completions of publishes run their continuations on the
    /// client's receive loop: callers must not block synchronously after awaiting a publish.
    /// </summary>
    public bool RunContinuationsAsynchronously { get; init; }

    /// <summary>Clock for keep-alive and backoff; tests pass a fake.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
