using EquipmentIoT.EdgeAgent.Configuration;
using EquipmentIoT.Protocols.Mqtt;
using EquipmentIoT.Protocols.Mqtt.Client;
using EquipmentIoT.Protocols.Telemetry.Topics;
using Microsoft.Extensions.Logging;

namespace EquipmentIoT.EdgeAgent.Publishing;

/// <summary>
/// The agent's way to any MQTT 3.1.1 broker (SPEC.md §topics): batches at QoS 1 on
/// <c>eq/v1/{agent}/telemetry</c>, the state record retained on <c>eq/v1/{agent}/state</c> with the
/// offline record as last will, commands from <c>eq/v1/{agent}/cmd/#</c>, replies on
/// <c>eq/v1/{agent}/reply/{command}</c>. Persistent session, TLS with a client certificate when
/// configured, reconnect with backoff and jitter, forever.
/// </summary>
public sealed partial class MqttBrokerTransport : ITelemetryTransport
{
    private readonly MqttClient _client;
    private readonly string _telemetryTopic;
    private readonly string _stateTopic;
    private readonly string _agentId;
    private readonly MqttRetryPolicy _retry;
    private readonly TimeProvider _time;
    private readonly ILogger<MqttBrokerTransport> _logger;
    private readonly CancellationTokenSource _closing = new();
    private int _subscribed;

    /// <summary>Creates the transport; nothing connects until <see cref="ConnectAsync"/>.</summary>
    /// <param name="agent">The agent's configuration (id, transport settings; paths resolved against the data directory).</param>
    /// <param name="offlineStateJson">The state record that says "offline": the last will.</param>
    /// <param name="time">The clock for retry delays.</param>
    /// <param name="logger">Where connection changes are logged.</param>
    public MqttBrokerTransport(AgentOptions agent, ReadOnlyMemory<byte> offlineStateJson, TimeProvider time, ILogger<MqttBrokerTransport> logger)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var o = agent.Transport.Mqtt;
        _agentId = agent.Id;
        _time = time;
        _logger = logger;
        _telemetryTopic = TelemetryTopics.Telemetry(agent.Id);
        _stateTopic = TelemetryTopics.State(agent.Id);
        var broker = BrokerAddress.Parse(o.Broker);
        // One policy for the first connect (ours) and for reconnects (the client's): backoff with jitter, forever.
        _retry = new MqttRetryPolicy(TimeSpan.FromMilliseconds(500), o.MaxReconnectDelay, int.MaxValue);
        var builder = new MqttClientOptionsBuilder()
            .WithBroker(broker.Host, broker.Port)
            .WithClientId(string.IsNullOrEmpty(o.ClientId) ? agent.Id : o.ClientId)
            .WithCleanSession(false)
            .WithKeepAlive(o.KeepAlive)
            .WithMaxInflight(o.MaxInflight)
            .WithWill(new MqttWill(_stateTopic, offlineStateJson.ToArray(), MqttQualityOfService.AtLeastOnce, Retain: true))
            .WithReconnect(true, _retry)
            .With(x => x with { TimeProvider = time });
        if (broker.Tls)
        {
            builder.WithTls(agent.ResolveOptional(o.CaFile), agent.ResolveOptional(o.CertFile), agent.ResolveOptional(o.CertKeyFile));
        }

        if (!string.IsNullOrEmpty(o.UserName))
        {
            var password = o.PasswordFile is null ? null : File.ReadAllText(agent.Resolve(o.PasswordFile)).TrimEnd('\r', '\n');
            builder.WithCredentials(o.UserName, password);
        }

        _client = new MqttClient(builder.Build()) { MessageReceived = OnMessageAsync };
        var brokerText = broker.ToString();
        _client.Connected += (_, e) =>
        {
            LogConnected(_logger, brokerText, e.SessionPresent, e.Redelivered);
            Connected?.Invoke(this, e.SessionPresent);
        };
        _client.Disconnected += (_, e) =>
        {
            if (_closing.IsCancellationRequested)
            {
                LogClosed(_logger);
                return;
            }

            LogDisconnected(_logger, e.Reason?.Message ?? "closed", e.WillReconnect);
            Disconnected?.Invoke(this, e.Reason);
            if (!e.WillReconnect)
            {
                // The client gave up reconnecting by itself: the agent never does.
                _ = Task.Run(() => ConnectAsync(_closing.Token));
            }
        };
    }

    /// <inheritdoc/>
    public string Name => "mqtt";

    /// <inheritdoc/>
    public bool IsConnected => _client.State == MqttClientState.Connected;

    /// <inheritdoc/>
    public Func<TransportCommand, CancellationToken, ValueTask>? CommandReceived { get; set; }

    /// <inheritdoc/>
    public event EventHandler<bool>? Connected;

    /// <inheritdoc/>
    public event EventHandler<Exception?>? Disconnected;

    /// <inheritdoc/>
    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closing.Token);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await _client.ConnectAsync(linked.Token).ConfigureAwait(false);
                break;
            }
            catch (MqttCommunicationException e)
            {
                Disconnected?.Invoke(this, e);
                _retry.ShouldRetry(attempt, e, out var delay);
                LogConnectFailed(_logger, e.Message, delay);
                await Task.Delay(delay, _time, linked.Token).ConfigureAwait(false);
            }
        }

        // With a persistent session the broker keeps the subscription; the client re-subscribes by itself
        // when a session was lost. Subscribing once is enough.
        if (Interlocked.Exchange(ref _subscribed, 1) == 0)
        {
            await _client.SubscribeAsync(TelemetryTopics.CommandFilter(_agentId), MqttQualityOfService.AtLeastOnce, linked.Token).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public ValueTask PublishTelemetryAsync(string stream, long seq, ReadOnlyMemory<byte> jws, CancellationToken cancellationToken) =>
        _client.PublishAsync(_telemetryTopic, jws, MqttQualityOfService.AtLeastOnce, retain: false, cancellationToken);

    /// <inheritdoc/>
    public ValueTask PublishStateAsync(ReadOnlyMemory<byte> stateJson, CancellationToken cancellationToken) =>
        _client.PublishAsync(_stateTopic, stateJson, MqttQualityOfService.AtLeastOnce, retain: true, cancellationToken);

    /// <inheritdoc/>
    public ValueTask PublishReplyAsync(string command, ReadOnlyMemory<byte> replyJson, CancellationToken cancellationToken) =>
        _client.PublishAsync(TelemetryTopics.Reply(_agentId, command), replyJson, MqttQualityOfService.AtLeastOnce, retain: false, cancellationToken);

    /// <inheritdoc/>
    public async Task DisconnectAsync(ReadOnlyMemory<byte> offlineStateJson, CancellationToken cancellationToken)
    {
        await _closing.CancelAsync().ConfigureAwait(false);
        if (_client.State == MqttClientState.Connected)
        {
            // A clean DISCONNECT discards the will, so say "offline" ourselves first.
            try
            {
                await PublishStateAsync(offlineStateJson, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is MqttCommunicationException or OperationCanceledException)
            {
                LogOfflineNotPublished(_logger, e.Message);
            }
        }

        await _client.DisconnectAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync().ConfigureAwait(false);
        await _client.DisposeAsync().ConfigureAwait(false);
        _closing.Dispose();
    }

    private async ValueTask OnMessageAsync(MqttApplicationMessage message, CancellationToken cancellationToken)
    {
        if (!TelemetryTopics.TryParse(message.Topic, out var parsed) || parsed.Kind != TelemetryTopicKind.Command || parsed.AgentId != _agentId)
        {
            LogUnexpectedTopic(_logger, message.Topic);
            return;
        }

        if (CommandReceived is { } handler)
        {
            await handler(new TransportCommand(parsed.Command!, message.Payload.ToArray()), cancellationToken).ConfigureAwait(false);
        }
    }


    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to {Broker} (session present: {SessionPresent}, {Redelivered} in flight resent)")]
    private static partial void LogConnected(ILogger logger, string broker, bool sessionPresent, int redelivered);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connection to the broker lost: {Reason} (reconnecting: {WillReconnect})")]
    private static partial void LogDisconnected(ILogger logger, string reason, bool willReconnect);

    [LoggerMessage(Level = LogLevel.Information, Message = "Disconnected from the broker")]
    private static partial void LogClosed(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot connect to the broker: {Reason}; trying again in {Delay}")]
    private static partial void LogConnectFailed(ILogger logger, string reason, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish the offline state before disconnecting: {Reason}")]
    private static partial void LogOfflineNotPublished(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignored a message on unexpected topic {Topic}")]
    private static partial void LogUnexpectedTopic(ILogger logger, string topic);
}
