using EquipmentIoT.EdgeAgent.Buffer;
using EquipmentIoT.EdgeAgent.Health;
using EquipmentIoT.Protocols.Mqtt;
using Microsoft.Extensions.Logging;

namespace EquipmentIoT.EdgeAgent.Publishing;

/// <summary>
/// Drains the buffer to the transport, per stream and in order, keeping a window of batches in flight
/// so a backlog clears at full speed while new batches keep arriving behind it. A batch is acknowledged
/// in the buffer only when the broker acknowledged it (PUBACK). When the transport fails a publish, the
/// stream waits for the connection and starts again from its first unacknowledged batch; the cloud
/// drops the duplicates by sequence number.
/// </summary>
public sealed partial class Forwarder
{
    private readonly DurableBuffer _buffer;
    private readonly ITelemetryTransport _transport;
    private readonly AgentCounters _counters;
    private readonly int _window;
    private readonly TimeProvider _time;
    private readonly ILogger<Forwarder> _logger;
    private readonly Lock _lock = new();
    private TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Creates the forwarder; <paramref name="window"/> batches per stream may be unacknowledged at once.</summary>
    public Forwarder(DurableBuffer buffer, ITelemetryTransport transport, AgentCounters counters, int window, TimeProvider time, ILogger<Forwarder> logger)
    {
        _buffer = buffer;
        _transport = transport;
        _counters = counters;
        _window = window;
        _time = time;
        _logger = logger;
        _transport.Connected += (_, _) =>
        {
            lock (_lock) _connected.TrySetResult();
        };
        _transport.Disconnected += (_, _) =>
        {
            lock (_lock)
            {
                if (_connected.Task.IsCompleted) _connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        };
        if (_transport.IsConnected) _connected.TrySetResult();
    }

    /// <summary>Forwards both streams until cancelled.</summary>
    public Task RunAsync(CancellationToken cancellationToken) => Task.WhenAll(
        RunStreamAsync(BufferStreams.Events, cancellationToken),
        RunStreamAsync(BufferStreams.Metrics, cancellationToken));

    private Task WhenConnected()
    {
        lock (_lock) return _transport.IsConnected ? Task.CompletedTask : _connected.Task;
    }

    private async Task RunStreamAsync(string stream, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await WhenConnected().WaitAsync(cancellationToken).ConfigureAwait(false);
            using var round = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var failure = await ForwardUntilFailureAsync(stream, round).ConfigureAwait(false);
            if (failure is null) return;
            LogRewinding(_logger, stream, failure.Message);
            _buffer.RewindToUnacknowledged(stream);
            // Do not spin while the transport is between "failed" and "disconnected".
            await Task.Delay(TimeSpan.FromMilliseconds(100), _time, cancellationToken).ConfigureAwait(false);
        }
    }

    // Runs the windowed loop; returns the first publish failure (after every in-flight publish of this
    // round has settled), or null when cancelled.
    private async Task<Exception?> ForwardUntilFailureAsync(string stream, CancellationTokenSource round)
    {
        using var window = new SemaphoreSlim(_window, _window);
        Exception? failure = null;
        var token = round.Token;
        try
        {
            while (true)
            {
                await window.WaitAsync(token).ConfigureAwait(false);
                BufferedRecord record;
                try
                {
                    record = await _buffer.ReadNextUnsentAsync(stream, token).ConfigureAwait(false);
                }
                catch
                {
                    window.Release();
                    throw;
                }

                _ = PublishOneAsync(record);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Cancelled by the caller or by a failed publish.
        }

        // Let the round's publishes settle so acknowledgements are recorded before a rewind.
        for (var i = 0; i < _window; i++) await window.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        return Volatile.Read(ref failure);

        async Task PublishOneAsync(BufferedRecord record)
        {
            try
            {
                await _transport.PublishTelemetryAsync(record.Stream, record.Seq, record.Payload, token).ConfigureAwait(false);
                _buffer.Acknowledge(record.Stream, record.Seq);
                _counters.Published();
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                // The round ended; the batch stays unacknowledged and is sent again.
            }
            catch (Exception e) when (e is MqttCommunicationException or ObjectDisposedException or InvalidOperationException)
            {
                Interlocked.CompareExchange(ref failure, e, null);
                await round.CancelAsync().ConfigureAwait(false);
            }
            finally
            {
                window.Release();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Forwarding {Stream} restarts from its first unacknowledged batch: {Reason}")]
    private static partial void LogRewinding(ILogger logger, string stream, string reason);
}
