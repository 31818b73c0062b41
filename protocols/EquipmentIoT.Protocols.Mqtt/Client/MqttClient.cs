using System.Threading.Channels;
using EquipmentIoT.Protocols.Mqtt.Channel;
using EquipmentIoT.Protocols.Mqtt.Formatter;
using EquipmentIoT.Protocols.Mqtt.Packets;

namespace EquipmentIoT.Protocols.Mqtt.Client;

/// <summary>
/// MQTT 3.1.1 client: clean or persistent sessions, QoS 0/1/2 publishing through an in-flight window,
/// redelivery with DUP after reconnecting, subscriptions (wildcards, shared), keep-alive with dead
/// connection detection, automatic reconnect with backoff and jitter, TLS and client certificates.
/// Thread-safe: many tasks may publish at once.
/// </summary>
public sealed partial class MqttClient : IAsyncDisposable
{
    private readonly MqttClientOptions _options;
    private readonly InflightTable _inflight;
    private readonly object _writeLock = new();
    private readonly object _stateLock = new();
    private readonly AsyncSignal _connectedSignal = new();
    private readonly CancellationTokenSource _disposeCts = new();
    private readonly Channel<IncomingDelivery> _receiveQueue;
    private readonly HashSet<ushort> _incomingQos2 = [];
    private int _incomingQos2Generation; // first connection of the session _incomingQos2 belongs to; guarded by it
    private readonly Dictionary<string, MqttQualityOfService> _subscriptions = new(StringComparer.Ordinal);
    private MqttConnection? _connection;
    private MqttClientState _state = MqttClientState.Disconnected;
    private Exception? _finalError;
    private CancellationTokenSource _runCts = new();
    private int _generation;
    private Task _dispatchLoop = Task.CompletedTask;
    private Task _reconnectLoop = Task.CompletedTask;
    private long _published, _acknowledged, _redelivered, _received, _duplicates, _reconnects;

    /// <summary>Creates a client; nothing happens on the network until <see cref="ConnectAsync"/>.</summary>
    public MqttClient(MqttClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _inflight = new InflightTable(options.MaxInflight, options.RunContinuationsAsynchronously);
        _receiveQueue = System.Threading.Channels.Channel.CreateBounded<IncomingDelivery>(new BoundedChannelOptions(options.ReceiveQueueCapacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Handles received messages; set it before subscribing. See <see cref="MqttMessageHandler"/>.</summary>
    public MqttMessageHandler? MessageReceived { get; set; }

    /// <summary>Raised after every successful connect.</summary>
    public event EventHandler<MqttConnectedEventArgs>? Connected;

    /// <summary>Raised when a connection ends.</summary>
    public event EventHandler<MqttDisconnectedEventArgs>? Disconnected;

    /// <summary>Raised before each reconnect attempt, with its delay.</summary>
    public event EventHandler<MqttReconnectingEventArgs>? Reconnecting;

    /// <summary>Raised when the message handler throws (the message is left unacknowledged).</summary>
    public event EventHandler<Exception>? MessageHandlerFailed;

    /// <summary>The options the client was built with.</summary>
    public MqttClientOptions Options => _options;

    /// <summary>The current state.</summary>
    public MqttClientState State
    {
        get
        {
            lock (_stateLock) return _state;
        }
    }

    /// <summary>Counters for health reporting.</summary>
    public MqttClientStatistics GetStatistics() => new(
        Interlocked.Read(ref _published), Interlocked.Read(ref _acknowledged), Interlocked.Read(ref _redelivered),
        Interlocked.Read(ref _received), Interlocked.Read(ref _duplicates), Interlocked.Read(ref _reconnects), _inflight.Count);

    /// <summary>
    /// Connects once (TCP, TLS, CONNECT/CONNACK) within <see cref="MqttClientOptions.ConnectTimeout"/>.
    /// After this succeeds the client reconnects by itself when the connection is lost.
    /// </summary>
    /// <returns>True when the broker kept a session for us.</returns>
    /// <exception cref="MqttCommunicationException">The broker could not be reached or refused us.</exception>
    public async Task<bool> ConnectAsync(CancellationToken cancellationToken = default)
    {
        lock (_stateLock)
        {
            ObjectDisposedException.ThrowIf(_state == MqttClientState.Disposed, this);
            if (_state != MqttClientState.Disconnected) throw new InvalidOperationException($"ConnectAsync while {_state}");
            _state = MqttClientState.Connecting;
            _finalError = null;
            if (_runCts.IsCancellationRequested)
            {
                _runCts.Dispose();
                _runCts = new CancellationTokenSource();
            }
        }
        try
        {
            if (_dispatchLoop.IsCompleted) _dispatchLoop = Task.Run(DispatchLoopAsync, CancellationToken.None);
            var sessionPresent = await EstablishAsync(isReconnect: false, cancellationToken).ConfigureAwait(false);
            return sessionPresent;
        }
        catch
        {
            lock (_stateLock)
            {
                if (_state == MqttClientState.Connecting) _state = MqttClientState.Disconnected;
            }
            throw;
        }
    }

    /// <summary>
    /// Sends DISCONNECT (so the broker discards the will) and closes. Publishes still awaiting
    /// acknowledgement fail; with a persistent session the broker keeps what it already accepted.
    /// </summary>
    public async Task DisconnectAsync(CancellationToken cancellationToken = default)
    {
        MqttConnection? c;
        lock (_stateLock)
        {
            if (_state is MqttClientState.Disconnected or MqttClientState.Disposed) return;
            _state = MqttClientState.Disconnecting;
            lock (_writeLock)
            {
                c = _connection;
                _connection = null;
                if (c is not null && !c.IsAborted) c.Commit(MqttPacketEncoder.WriteEmpty(c.Output, MqttPacketType.Disconnect));
            }
        }
        await _runCts.CancelAsync().ConfigureAwait(false); // stops a reconnect loop that may be waiting
        if (c is not null)
        {
            try
            {
                await c.CloseGracefullyAsync(TimeSpan.FromSeconds(5)).WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                c.Abort(null);
            }
        }
        await _reconnectLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        FailEverything(new MqttCommunicationException("the client disconnected before the broker acknowledged this message", isTransient: false));
        lock (_stateLock) _state = MqttClientState.Disconnected;
        Disconnected?.Invoke(this, new MqttDisconnectedEventArgs(null, willReconnect: false));
    }

    /// <summary>Disconnects if connected and releases everything.</summary>
    public async ValueTask DisposeAsync()
    {
        if (State == MqttClientState.Disposed) return;
        try
        {
            await DisconnectAsync().WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Closing anyway below.
        }
        MqttConnection? c;
        lock (_stateLock)
        {
            _state = MqttClientState.Disposed;
            lock (_writeLock)
            {
                c = _connection;
                _connection = null;
            }
        }
        c?.Abort(null);
        if (!_disposeCts.IsCancellationRequested) await _disposeCts.CancelAsync().ConfigureAwait(false);
        _receiveQueue.Writer.TryComplete();
        await _dispatchLoop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        FailEverything(new ObjectDisposedException(nameof(MqttClient)));
        _disposeCts.Dispose();
        _runCts.Dispose();
    }

    private void FailEverything(Exception error)
    {
        var (publishes, requests) = _inflight.RemoveAll();
        foreach (var m in publishes)
        {
            m.Complete(error);
            m.Release();
        }
        foreach (var r in requests) r.Fail(error);
        _connectedSignal.Set();
    }

    private void ThrowIfCannotSend()
    {
        lock (_stateLock)
        {
            switch (_state)
            {
                case MqttClientState.Disposed:
                    throw new ObjectDisposedException(nameof(MqttClient));
                case MqttClientState.Disconnected or MqttClientState.Disconnecting:
                    throw new MqttCommunicationException(
                        _finalError is null ? "the client is not connected" : $"the client gave up reconnecting: {_finalError.Message}",
                        isTransient: false, _finalError);
            }
        }
    }

    private sealed record IncomingDelivery(MqttApplicationMessage Message, ushort PacketIdentifier, MqttConnection Connection);
}
