using EquipmentIoT.Protocols.AzureIotHub;
using EquipmentIoT.Protocols.Mqtt;
using EquipmentIoT.Protocols.Mqtt.Client;

namespace EquipmentIoT.EdgeAgent.Publishing;

// SAS tokens: the key, a fresh token per CONNECT, proactive renewal, and the gate that holds publishes during it.
public sealed partial class AzureIotHubTransport
{
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
}
