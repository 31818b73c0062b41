using EquipmentIoT.Protocols.Mqtt.Channel;
using EquipmentIoT.Protocols.Mqtt.Formatter;
using EquipmentIoT.Protocols.Mqtt.Packets;

namespace EquipmentIoT.Protocols.Mqtt.Client;

// Connecting, losing the connection, reconnecting with backoff, keep-alive.
public sealed partial class MqttClient
{
    private async Task<bool> EstablishAsync(bool isReconnect, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _runCts.Token);
        timeout.CancelAfter(_options.ConnectTimeout);
        var generation = Interlocked.Increment(ref _generation);
        MqttConnection? c = null;
        try
        {
            var stream = await MqttTransport.ConnectAsync(_options, timeout.Token).ConfigureAwait(false);
            c = new MqttConnection(stream, generation, _options.TimeProvider, _options.OutgoingHighWaterBytes, _writeLock);
            c.Start();
            _ = Task.Run(() => ReceiveLoopAsync(c), CancellationToken.None);
            lock (_writeLock)
            {
                if (c.IsAborted) throw c.Error ?? new MqttCommunicationException("the broker closed the connection at once");
                c.Commit(MqttPacketEncoder.WriteConnect(c.Output, BuildConnect()));
            }

            var ack = await c.ConnAck.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
            if (ack.ReturnCode != MqttConnectReturnCode.Accepted)
                throw new MqttCommunicationException($"the broker refused the connection: {ack.ReturnCode} (3.2.2.3)",
                    isTransient: ack.ReturnCode == MqttConnectReturnCode.ServerUnavailable) { ReturnCode = ack.ReturnCode };
            if (!ack.SessionPresent)
            {
                lock (_incomingQos2)
                {
                    _incomingQos2.Clear();
                    _incomingQos2Generation = generation;
                }
            }

            // Resend what the broker has not acknowledged, oldest first, with DUP where it went out before (4.4).
            var redelivered = 0;
            lock (_stateLock)
            {
                if (_state is not (MqttClientState.Connecting or MqttClientState.Reconnecting))
                    throw new OperationCanceledException("the client was disconnected while connecting");
                lock (_writeLock)
                {
                    if (c.IsAborted) throw c.Error ?? new MqttCommunicationException("the connection closed right after CONNACK");
                    foreach (var m in _inflight.SnapshotInOrder())
                    {
                        if (m.SentGeneration == generation) continue;
                        if (m.SentGeneration != 0) redelivered++;
                        WriteOutgoing(c, m);
                    }
                    _connection = c;
                }
                _state = MqttClientState.Connected;
            }
            Interlocked.Add(ref _redelivered, redelivered);
            _connectedSignal.Set();
            _ = Task.Run(() => KeepAliveLoopAsync(c), CancellationToken.None);

            if (!ack.SessionPresent) await ResubscribeAsync(c, timeout.Token).ConfigureAwait(false);
            Connected?.Invoke(this, new MqttConnectedEventArgs(ack.SessionPresent, redelivered, isReconnect));
            return ack.SessionPresent;
        }
        catch (Exception ex)
        {
            var error = ex switch
            {
                OperationCanceledException when !cancellationToken.IsCancellationRequested && !_runCts.IsCancellationRequested =>
                    new MqttCommunicationException($"connecting to {_options.Host}:{_options.Port} timed out after {_options.ConnectTimeout.TotalSeconds:0.#} s", ex),
                MqttProtocolException => new MqttCommunicationException($"the broker broke the protocol while connecting: {ex.Message}", isTransient: true, ex),
                IOException => new MqttCommunicationException($"connection to {_options.Host}:{_options.Port} failed: {ex.Message}", ex),
                // TLS 1.3 finishes the client's side of the handshake before the broker checks for a client
                // certificate, so a missing one shows up only as the session failing before CONNACK.
                MqttCommunicationException { ReturnCode: null } lost when c is not null && !c.ConnAck.Task.IsCompletedSuccessfully
                                                                     && _options.Tls is { ClientCertificates.Count: 0 } =>
                    new MqttCommunicationException(
                        $"{lost.Message} (the TLS session ended before CONNACK: does the broker require a client certificate?)", lost.IsTransient, lost),
                _ => ex,
            };
            var wasCurrent = false;
            lock (_writeLock)
            {
                if (c is not null && ReferenceEquals(_connection, c))
                {
                    _connection = null;
                    wasCurrent = true;
                }
            }
            c?.Abort(error);
            if (wasCurrent)
                lock (_stateLock)
                    if (_state == MqttClientState.Connected) _state = isReconnect ? MqttClientState.Reconnecting : MqttClientState.Connecting;
            if (ReferenceEquals(error, ex)) throw;
            throw error;
        }
    }

    private MqttConnectPacket BuildConnect() => BuildConnect(_options.PasswordProvider is { } provider ? provider() : _options.Password);

    private MqttConnectPacket BuildConnect(string? password) => new()
    {
        ClientId = _options.ClientId,
        CleanSession = _options.CleanSession,
        KeepAliveSeconds = (ushort)_options.KeepAlive.TotalSeconds,
        UserName = _options.UserName,
        Password = password is null ? (ReadOnlyMemory<byte>?)null : System.Text.Encoding.UTF8.GetBytes(password),
        WillTopic = _options.Will?.Topic,
        WillMessage = _options.Will?.Payload ?? default,
        WillQualityOfService = _options.Will?.QualityOfService ?? MqttQualityOfService.AtMostOnce,
        WillRetain = _options.Will?.Retain ?? false,
    };

    /// <summary>The receive loop of <paramref name="c"/> ended: the one place a lost connection is handled.</summary>
    private void OnConnectionLost(MqttConnection c, Exception? error)
    {
        c.Abort(error);
        error = c.Error ?? error ?? new MqttCommunicationException("the broker closed the connection");
        bool willReconnect;
        lock (_stateLock)
        {
            lock (_writeLock)
            {
                if (!ReferenceEquals(_connection, c)) return; // a connect attempt failing: EstablishAsync reports it
                _connection = null;
            }
            if (_state != MqttClientState.Connected) return;
            willReconnect = _options.AutoReconnect;
            _state = willReconnect ? MqttClientState.Reconnecting : MqttClientState.Disconnected;
            if (!willReconnect) _finalError = error;
        }
        foreach (var r in _inflight.Requests()) r.Fail(new MqttCommunicationException("the connection was lost before the broker answered", error));
        Disconnected?.Invoke(this, new MqttDisconnectedEventArgs(error, willReconnect));
        if (willReconnect) _reconnectLoop = Task.Run(() => ReconnectLoopAsync(error), CancellationToken.None);
        else FailEverything(new MqttCommunicationException("the connection was lost and automatic reconnect is off", error));
    }

    private async Task ReconnectLoopAsync(Exception lastError)
    {
        var token = _runCts.Token;
        for (var attempt = 1; ; attempt++)
        {
            if (!_options.RetryPolicy.ShouldRetry(attempt, lastError, out var delay))
            {
                lock (_stateLock)
                {
                    if (_state != MqttClientState.Reconnecting) return;
                    _state = MqttClientState.Disconnected;
                    _finalError = lastError;
                }
                FailEverything(new MqttCommunicationException($"gave up reconnecting after {attempt - 1} attempts: {lastError.Message}", isTransient: false, lastError));
                Disconnected?.Invoke(this, new MqttDisconnectedEventArgs(lastError, willReconnect: false));
                return;
            }
            Reconnecting?.Invoke(this, new MqttReconnectingEventArgs(attempt, delay, lastError));
            try
            {
                await Task.Delay(delay, _options.TimeProvider, token).ConfigureAwait(false);
                await EstablishAsync(isReconnect: true, token).ConfigureAwait(false);
                Interlocked.Increment(ref _reconnects);
                return;
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                lastError = ex;
            }
        }
    }

    /// <summary>
    /// Sends PINGREQ when nothing was sent for half the keep-alive (3.1.2.10) and declares the
    /// connection dead when no packet at all arrives within the ping timeout after it.
    /// </summary>
    private async Task KeepAliveLoopAsync(MqttConnection c)
    {
        var keepAlive = _options.KeepAlive;
        if (keepAlive == TimeSpan.Zero) return;
        var time = _options.TimeProvider;
        var tick = TimeSpan.FromMilliseconds(Math.Clamp(keepAlive.TotalMilliseconds / 4, 50, 5000));
        try
        {
            while (!c.IsAborted)
            {
                await Task.Delay(tick, time, c.Closing).ConfigureAwait(false);
                if (c.PingSentAt != 0 && c.LastReceived < c.PingSentAt && !c.ReadBlocked
                    && time.GetElapsedTime(c.PingSentAt) >= _options.PingTimeout)
                {
                    c.Abort(new MqttCommunicationException(
                        $"no answer to PINGREQ within {_options.PingTimeout.TotalSeconds:0.#} s: the connection is dead"));
                    return;
                }
                if (c.LastReceived >= c.PingSentAt) c.PingSentAt = 0;
                if (c.PingSentAt == 0 && time.GetElapsedTime(c.LastSent) >= keepAlive / 2)
                {
                    lock (_writeLock)
                    {
                        if (c.IsAborted) return;
                        c.PingSentAt = time.GetTimestamp();
                        c.Commit(MqttPacketEncoder.WriteEmpty(c.Output, MqttPacketType.PingReq));
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The connection closed.
        }
    }
}
