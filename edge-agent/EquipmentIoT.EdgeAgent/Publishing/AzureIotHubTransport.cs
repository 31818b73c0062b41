using System.Collections.Concurrent;
using EquipmentIoT.Protocols.AzureIotHub;
using EquipmentIoT.Protocols.Mqtt;
using EquipmentIoT.Protocols.Mqtt.Client;
using EquipmentIoT.Protocols.Mqtt.Packets;
using Microsoft.Extensions.Logging;

namespace EquipmentIoT.EdgeAgent.Publishing;

// Fields, constructor, properties, connecting (with retry), disconnecting and disposal.
/// <summary>
/// The agent's way to Azure IoT Hub over MQTT 3.1.1 (see <see cref="IotHubMqttConventions"/>):
/// <list type="bullet">
/// <item>batches at QoS 1 as device-to-cloud messages on <c>devices/{id}/messages/events/stream={stream}&amp;seq={seq}&amp;$.ct=application%2fjose&amp;$.ce=utf-8</c>;</item>
/// <item>the state record as a reported-properties patch (<c>$iothub/twin/PATCH/properties/reported/?$rid={n}</c>),
/// complete when IoT Hub answers 204 on <c>$iothub/twin/res/…</c> (IoT Hub has no retained messages);</item>
/// <item>replies as device-to-cloud messages with the property <c>reply={command}</c>;</item>
/// <item>commands: cloud-to-device messages with an application property <c>command={name}</c> (e.g.
/// <c>command=resend</c>, set by the back end when it sends the message); others are logged and completed.</item>
/// </list>
/// Persistent session (CleanSession 0, which IoT Hub honours), TLS, and either an X.509 client certificate
/// or SAS tokens. IoT Hub closes a connection when its token expires, so the password is computed afresh
/// for every CONNECT and the transport reconnects on its own at 80 % of the token lifetime: it holds new
/// publishes, lets those on the wire be acknowledged (bounded), disconnects cleanly and connects with a new
/// token. Anything that still failed because of that reconnect is sent again (at least once; the cloud
/// deduplicates by stream and seq).
/// </summary>
public sealed partial class AzureIotHubTransport : ITelemetryTransport
{
    /// <summary>Share of the token lifetime after which the transport reconnects with a fresh token.</summary>
    public const double RenewalPoint = 0.8;

    private const string CommandProperty = "command";
    private const string ReplyProperty = "reply";
    private static readonly TimeSpan MaxDrainWait = TimeSpan.FromSeconds(5);

    private readonly AzureIotHubTransportOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<AzureIotHubTransport> _logger;
    private readonly MqttClient _client;
    private readonly MqttRetryPolicy _connectRetry;
    private readonly byte[]? _key;
    private readonly CancellationTokenSource _closing = new();
    private readonly SemaphoreSlim _connectionLock = new(1, 1);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<IotHubTwinResponse>> _pendingTwin = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private bool _renewing; // guarded by _gate: new publishes wait while true
    private int _active; // guarded by _gate: publishes on the wire
    private int _renewalEpoch; // guarded by _gate; read with Volatile
    private TaskCompletionSource _reopened = CompletedSignal();
    private TaskCompletionSource? _drained;
    private volatile bool _plannedReconnect;
    private long _tokenIssuedTicks; // UTC ticks of the last token; 0 before the first
    private long _tokenExpiresAt; // Unix seconds
    private long _tokensIssued;
    private long _renewals;
    private long _nextRequestId;
    private int _started;
    private Task _renewalLoop = Task.CompletedTask;

    /// <summary>Creates the transport; nothing connects until <see cref="ConnectAsync"/>.</summary>
    /// <param name="options">Hub, device, authentication; file paths already resolved.</param>
    /// <param name="time">The clock for tokens, renewal and retry delays.</param>
    /// <param name="logger">Where connection changes are logged (never keys, tokens or payloads).</param>
    /// <exception cref="ArgumentException">The options are not valid (<see cref="AzureIotHubTransportOptions.Problems"/>).</exception>
    /// <exception cref="InvalidOperationException">The key file cannot be read or is not base64 (the message names the file, never its content).</exception>
    public AzureIotHubTransport(AzureIotHubTransportOptions options, TimeProvider time, ILogger<AzureIotHubTransport> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        var problems = options.Problems();
        if (problems.Count > 0) throw new ArgumentException("Azure IoT Hub transport: " + string.Join("; ", problems), nameof(options));
        _options = options;
        _time = time;
        _logger = logger;
        if (!options.UsesCertificate) _key = LoadKey(options);
        var firstDelay = TimeSpan.FromTicks(Math.Min(TimeSpan.FromMilliseconds(500).Ticks, options.MaxReconnectDelay.Ticks));
        _connectRetry = new MqttRetryPolicy(firstDelay, options.MaxReconnectDelay, int.MaxValue);

        var builder = new MqttClientOptionsBuilder()
            .WithBroker(options.HostName, options.Port)
            .WithClientId(IotHubMqttConventions.ClientId(options.DeviceId))
            .WithCleanSession(false)
            .WithKeepAlive(options.KeepAlive)
            .WithMaxInflight(options.MaxInflight)
            .WithCredentials(IotHubMqttConventions.UserName(options.HostName, options.DeviceId, options.ApiVersion), null)
            .WithReconnect(true, new MqttRetryPolicy(firstDelay, options.MaxReconnectDelay, int.MaxValue))
            .With(o => o with { TimeProvider = time });
        if (options.UseTls) builder.WithTls(options.CaFile, options.CertFile, options.UsesCertificate ? options.KeyFile ?? options.CertFile : null);
        if (_key is not null) builder.With(o => o with { PasswordProvider = NextPassword });

        _client = new MqttClient(builder.Build()) { MessageReceived = OnMessageAsync };
        _client.Connected += (_, e) =>
        {
            LogConnected(_logger, options.HostName, options.DeviceId, e.SessionPresent, e.Redelivered);
            Connected?.Invoke(this, e.SessionPresent);
        };
        _client.Disconnected += (_, e) =>
        {
            if (_plannedReconnect) return; // our own token renewal: not a loss
            LogDisconnected(_logger, e.Reason?.Message ?? "closed", e.WillReconnect);
            FailPendingTwin(new MqttCommunicationException("the connection was lost before IoT Hub answered the twin update", e.Reason!));
            Disconnected?.Invoke(this, e.Reason);
            if (!e.WillReconnect && !_closing.IsCancellationRequested && Volatile.Read(ref _started) != 0)
            {
                // The client gave up reconnecting by itself: the agent never does.
                _ = Task.Run(() => ReconnectAfterGivingUpAsync(_closing.Token));
            }
        };
        if (!options.UseTls) LogNoTls(_logger, options.HostName, options.Port);
    }

    /// <inheritdoc/>
    public string Name => "azure-iot-hub";

    /// <inheritdoc/>
    public bool IsConnected => _client.State == MqttClientState.Connected;

    /// <inheritdoc/>
    public Func<TransportCommand, CancellationToken, ValueTask>? CommandReceived { get; set; }

    /// <inheritdoc/>
    public event EventHandler<bool>? Connected;

    /// <inheritdoc/>
    public event EventHandler<Exception?>? Disconnected;

    /// <summary>When the token of the current (or last) connection expires; null with certificate authentication or before the first.</summary>
    public DateTimeOffset? TokenExpiresAt => Interlocked.Read(ref _tokenExpiresAt) is var s and > 0 ? DateTimeOffset.FromUnixTimeSeconds(s) : null;

    /// <summary>SAS tokens computed so far (one per CONNECT attempt).</summary>
    public long TokensIssued => Interlocked.Read(ref _tokensIssued);

    /// <summary>Reconnects made on purpose to renew the token.</summary>
    public long Renewals => Interlocked.Read(ref _renewals);

    /// <inheritdoc/>
    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closing.Token);
        await _connectionLock.WaitAsync(linked.Token).ConfigureAwait(false);
        try
        {
            if (_client.State == MqttClientState.Disconnected) await ConnectWithRetryAsync(linked.Token).ConfigureAwait(false);
        }
        finally
        {
            _connectionLock.Release();
        }

        if (Interlocked.Exchange(ref _started, 1) != 0) return;

        // With a persistent session IoT Hub keeps the cloud-to-device subscription; the client subscribes
        // again by itself when a session was lost. Twin responses at QoS 0: a lost one ends in a timeout.
        var codes = await _client.SubscribeAsync(
        [
            new MqttTopicSubscription(IotHubMqttConventions.CloudToDeviceFilter(_options.DeviceId), MqttQualityOfService.AtLeastOnce),
            new MqttTopicSubscription(IotHubMqttConventions.TwinResponseFilter, MqttQualityOfService.AtMostOnce),
        ], linked.Token).ConfigureAwait(false);
        if (codes.Any(c => c == MqttSubscribeReturnCode.Failure)) LogSubscribeRefused(_logger, _options.DeviceId);
        if (_key is not null) _renewalLoop = Task.Run(() => RenewalLoopAsync(_closing.Token), CancellationToken.None);
    }

    /// <inheritdoc/>
    public async Task DisconnectAsync(ReadOnlyMemory<byte> offlineStateJson, CancellationToken cancellationToken)
    {
        await _closing.CancelAsync().ConfigureAwait(false); // stops renewal and the give-up reconnector
        await _renewalLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _connectionLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_client.State == MqttClientState.Connected)
            {
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
        finally
        {
            _connectionLock.Release();
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync().ConfigureAwait(false);
        await _renewalLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await _client.DisposeAsync().ConfigureAwait(false);
        FailPendingTwin(new ObjectDisposedException(nameof(AzureIotHubTransport)));
        lock (_gate) _reopened.TrySetResult();
        _closing.Dispose();
        _connectionLock.Dispose();
    }

    private async Task ConnectWithRetryAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await _client.ConnectAsync(cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (MqttCommunicationException e)
            {
                Disconnected?.Invoke(this, e);
                _connectRetry.ShouldRetry(attempt, e, out var delay);
                LogConnectFailed(_logger, e.Message, delay);
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task ReconnectAfterGivingUpAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _connectionLock.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (_client.State == MqttClientState.Disconnected) await ConnectWithRetryAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _connectionLock.Release();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Closing.
        }
    }
}
