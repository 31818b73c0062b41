using System.Collections.Concurrent;
using System.Globalization;
using EquipmentIoT.Protocols.AzureIotHub;
using EquipmentIoT.Protocols.Mqtt;
using EquipmentIoT.Protocols.Mqtt.Client;
using EquipmentIoT.Protocols.Mqtt.Packets;
using Microsoft.Extensions.Logging;

namespace EquipmentIoT.EdgeAgent.Publishing;

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
    public ValueTask PublishTelemetryAsync(string stream, long seq, ReadOnlyMemory<byte> jws, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(stream);
        ThrowIfTooLarge(jws);
        var properties = new IotHubPropertyBag()
            .Add("stream", stream)
            .Add("seq", seq.ToString(CultureInfo.InvariantCulture))
            .Add(IotHubPropertyBag.ContentType, IotHubMqttConventions.JoseContentType)
            .Add(IotHubPropertyBag.ContentEncoding, IotHubMqttConventions.Utf8ContentEncoding);
        return PublishGatedAsync(IotHubMqttConventions.TelemetryTopic(_options.DeviceId, properties), jws, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask PublishReplyAsync(string command, ReadOnlyMemory<byte> replyJson, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(command);
        ThrowIfTooLarge(replyJson);
        var properties = new IotHubPropertyBag()
            .Add(ReplyProperty, command)
            .Add(IotHubPropertyBag.ContentType, IotHubMqttConventions.JsonContentType)
            .Add(IotHubPropertyBag.ContentEncoding, IotHubMqttConventions.Utf8ContentEncoding);
        return PublishGatedAsync(IotHubMqttConventions.TelemetryTopic(_options.DeviceId, properties), replyJson, cancellationToken);
    }

    /// <summary>
    /// Sends the state record as a reported-properties patch and completes when IoT Hub answered 2xx. A
    /// refusal throws <see cref="MqttCommunicationException"/>, transient for 429 and 5xx; no answer within
    /// <see cref="AzureIotHubTransportOptions.TwinResponseTimeout"/> throws a transient one.
    /// </summary>
    public ValueTask PublishStateAsync(ReadOnlyMemory<byte> stateJson, CancellationToken cancellationToken)
    {
        ThrowIfTooLarge(stateJson);
        return RunGatedAsync(static (self, json, ct) => self.PatchReportedAsync(json, ct), stateJson, cancellationToken);
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

    /// <summary>The MQTT password for the CONNECT being built: a SAS token valid for <see cref="AzureIotHubTransportOptions.TokenLifetime"/>.</summary>
    private string NextPassword()
    {
        var now = _time.GetUtcNow();
        var expiry = SasToken.ExpiryFrom(now, _options.TokenLifetime);
        var token = SasToken.CreateForDevice(_options.HostName, _options.DeviceId, _key, expiry);
        Interlocked.Exchange(ref _tokenIssuedTicks, now.UtcTicks);
        Interlocked.Exchange(ref _tokenExpiresAt, expiry);
        Interlocked.Increment(ref _tokensIssued);
        LogTokenIssued(_logger, token.ExpiresAt);
        return token.Serialize();
    }

    private async Task RenewalLoopAsync(CancellationToken cancellationToken)
    {
        var renewAfter = _options.TokenLifetime * RenewalPoint;
        var idle = TimeSpan.FromMilliseconds(Math.Clamp(_options.TokenLifetime.TotalMilliseconds / 20, 50, 1000));
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var issued = new DateTimeOffset(Interlocked.Read(ref _tokenIssuedTicks), TimeSpan.Zero);
                var wait = issued + renewAfter - _time.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    // Sleep until due, then look again: the client may have reconnected (with a new token) meanwhile.
                    await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                if (_client.State != MqttClientState.Connected)
                {
                    // Reconnecting: the next CONNECT carries a fresh token anyway.
                    await Task.Delay(idle, _time, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                await RenewAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Closing.
        }
    }

    private async Task RenewAsync(CancellationToken cancellationToken)
    {
        await _connectionLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        Task? drained;
        lock (_gate)
        {
            _renewing = true;
            _reopened = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _renewalEpoch, _renewalEpoch + 1);
            _drained = _active == 0 ? null : new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            drained = _drained?.Task;
        }

        try
        {
            if (drained is not null)
            {
                var limit = TimeSpan.FromTicks(Math.Min(MaxDrainWait.Ticks, (long)(_options.TokenLifetime.Ticks * (1 - RenewalPoint) / 2)));
                try
                {
                    await drained.WaitAsync(limit, _time, cancellationToken).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    LogDrainTimedOut(_logger, limit); // what is still on the wire is sent again after the reconnect
                }
            }

            LogRenewing(_logger, _options.DeviceId);
            _plannedReconnect = true;
            await _client.DisconnectAsync(cancellationToken).ConfigureAwait(false);
            await ConnectWithRetryAsync(cancellationToken).ConfigureAwait(false);
            Interlocked.Increment(ref _renewals);
        }
        finally
        {
            _plannedReconnect = false;
            TaskCompletionSource reopened;
            lock (_gate)
            {
                _renewing = false;
                _drained = null;
                reopened = _reopened;
            }

            reopened.TrySetResult();
            _connectionLock.Release();
        }
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

    private ValueTask PublishGatedAsync(string topic, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
        RunGatedAsync(
            static (self, state, ct) => self._client.PublishAsync(state.Topic, state.Payload, MqttQualityOfService.AtLeastOnce, retain: false, ct),
            (Topic: topic, Payload: payload), cancellationToken);

    /// <summary>
    /// Runs one publish outside a token renewal: waits while a renewal is under way, counts itself as on
    /// the wire (the renewal waits for these), and runs again (up to twice) when a renewal cut it off.
    /// </summary>
    private async ValueTask RunGatedAsync<TState>(Func<AzureIotHubTransport, TState, CancellationToken, ValueTask> operation, TState state,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            int epoch;
            while (true)
            {
                Task reopened;
                lock (_gate)
                {
                    if (!_renewing)
                    {
                        _active++;
                        epoch = _renewalEpoch;
                        break;
                    }

                    reopened = _reopened.Task;
                }

                await reopened.WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            try
            {
                await operation(this, state, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (MqttCommunicationException e) when (attempt < 3 && Volatile.Read(ref _renewalEpoch) != epoch)
            {
                LogResentAfterRenewal(_logger, e.Message);
            }
            finally
            {
                lock (_gate)
                {
                    if (--_active == 0) _drained?.TrySetResult();
                }
            }
        }
    }

    private async ValueTask PatchReportedAsync(ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        var requestId = Interlocked.Increment(ref _nextRequestId).ToString(CultureInfo.InvariantCulture);
        var answer = new TaskCompletionSource<IotHubTwinResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pendingTwin[requestId] = answer;
        try
        {
            await _client.PublishAsync(IotHubMqttConventions.TwinReportedPatchTopic(requestId), json, MqttQualityOfService.AtLeastOnce,
                retain: false, cancellationToken).ConfigureAwait(false);
            IotHubTwinResponse response;
            try
            {
                response = await answer.Task.WaitAsync(_options.TwinResponseTimeout, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException e)
            {
                throw new MqttCommunicationException(
                    $"IoT Hub did not answer the reported-properties update within {_options.TwinResponseTimeout.TotalSeconds:0.#} s", e);
            }

            if (!response.IsSuccess)
                throw new MqttCommunicationException($"IoT Hub refused the reported-properties update with status {response.Status}", response.IsTransient);
        }
        finally
        {
            _pendingTwin.TryRemove(requestId, out _);
        }
    }

    private async ValueTask OnMessageAsync(MqttApplicationMessage message, CancellationToken cancellationToken)
    {
        if (message.Topic.StartsWith("$iothub/twin/res/", StringComparison.Ordinal))
        {
            var response = IotHubMqttConventions.ParseTwinResponseTopic(message.Topic);
            if (!response.Success) LogBadTwinResponse(_logger, response.Error);
            else if (_pendingTwin.TryGetValue(response.Value.RequestId, out var waiting)) waiting.TrySetResult(response.Value);
            else LogUnmatchedTwinResponse(_logger, response.Value.RequestId, response.Value.Status);
            return;
        }

        var properties = IotHubMqttConventions.ParseCloudToDeviceTopic(message.Topic, _options.DeviceId);
        if (!properties.Success)
        {
            LogUnexpectedMessage(_logger, properties.Error);
            return;
        }

        if (!properties.Value.TryGetValue(CommandProperty, out var command) || command is null || !IsCommandName(command))
        {
            // Completed (acknowledged) so that IoT Hub does not deliver it again and again.
            LogNotACommand(_logger, properties.Value.Count);
            return;
        }

        if (CommandReceived is { } handler)
        {
            await handler(new TransportCommand(command, message.Payload.ToArray()), cancellationToken).ConfigureAwait(false);
        }
    }

    private void FailPendingTwin(Exception error)
    {
        foreach (var (id, waiting) in _pendingTwin)
        {
            if (_pendingTwin.TryRemove(id, out _)) waiting.TrySetException(error);
        }
    }

    private static bool IsCommandName(string name) =>
        name.Length is > 0 and <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    private static void ThrowIfTooLarge(ReadOnlyMemory<byte> payload)
    {
        if (payload.Length > IotHubMqttConventions.MaxMessageBytes)
            throw new ArgumentException(
                $"{payload.Length} bytes is more than IoT Hub accepts in one message ({IotHubMqttConventions.MaxMessageBytes}); make batches smaller",
                nameof(payload));
    }

    private static byte[] LoadKey(AzureIotHubTransportOptions options)
    {
        string text;
        if (!string.IsNullOrEmpty(options.SharedAccessKeyFile))
        {
            try
            {
                text = File.ReadAllText(options.SharedAccessKeyFile);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new InvalidOperationException($"cannot read the IoT Hub device key file {options.SharedAccessKeyFile}: {e.Message}", e);
            }
        }
        else
        {
            text = options.SharedAccessKey!;
        }

        text = text.Trim();
        var key = new byte[text.Length];
        if (text.Length == 0 || !Convert.TryFromBase64String(text, key, out var n) || n == 0)
        {
            var where = options.SharedAccessKeyFile is { Length: > 0 } f ? $"the file {f}" : "AzureIotHub:SharedAccessKey";
            throw new InvalidOperationException($"the IoT Hub device key in {where} is not base64");
        }

        return key[..n];
    }

    private static TaskCompletionSource CompletedSignal()
    {
        var done = new TaskCompletionSource();
        done.SetResult();
        return done;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to IoT Hub {HostName} as {DeviceId} (session present: {SessionPresent}, {Redelivered} in flight resent)")]
    private static partial void LogConnected(ILogger logger, string hostName, string deviceId, bool sessionPresent, int redelivered);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Connection to IoT Hub lost: {Reason} (reconnecting: {WillReconnect})")]
    private static partial void LogDisconnected(ILogger logger, string reason, bool willReconnect);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot connect to IoT Hub: {Reason}; trying again in {Delay}")]
    private static partial void LogConnectFailed(ILogger logger, string reason, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Debug, Message = "New SAS token, valid until {ExpiresAt:O}")]
    private static partial void LogTokenIssued(ILogger logger, DateTimeOffset expiresAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconnecting {DeviceId} to IoT Hub to renew its SAS token before it expires")]
    private static partial void LogRenewing(ILogger logger, string deviceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Messages on the wire were not acknowledged within {Limit} before the token renewal; they are sent again after it")]
    private static partial void LogDrainTimedOut(ILogger logger, TimeSpan limit);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sent again after the token renewal cut it off: {Reason}")]
    private static partial void LogResentAfterRenewal(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "IoT Hub refused a subscription of {DeviceId} (cloud-to-device or twin responses)")]
    private static partial void LogSubscribeRefused(ILogger logger, string deviceId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish the offline state before disconnecting: {Reason}")]
    private static partial void LogOfflineNotPublished(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignored a twin response: {Reason}")]
    private static partial void LogBadTwinResponse(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Twin response {RequestId} (status {Status}) matched no waiting request (timed out or from an earlier connection)")]
    private static partial void LogUnmatchedTwinResponse(ILogger logger, string requestId, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignored a message: {Reason}")]
    private static partial void LogUnexpectedMessage(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Completed a cloud-to-device message without a valid 'command' property ({Count} properties); nothing was done")]
    private static partial void LogNotACommand(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "TLS is off for {HostName}:{Port}: IoT Hub itself refuses plain TCP, so this is only for tests against a local broker")]
    private static partial void LogNoTls(ILogger logger, string hostName, int port);
}
