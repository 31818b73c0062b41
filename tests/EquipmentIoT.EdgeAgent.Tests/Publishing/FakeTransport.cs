using System.Collections.Concurrent;
using System.Runtime.Versioning;
using EquipmentIoT.EdgeAgent.Publishing;
using EquipmentIoT.Protocols.Mqtt;

namespace EquipmentIoT.EdgeAgent.Tests.Publishing;

/// <summary>
/// A transport the test drives: publishes are recorded and either acknowledged at once or held until the
/// test completes or fails them (as a broker's PUBACK would, or a lost connection). Counts what is in
/// flight per stream and the most ever in flight, and any publish attempted while disconnected. The
/// real transports have their own tests against real brokers; this one isolates the forwarder and the
/// command dispatcher.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class FakeTransport : ITelemetryTransport
{
    private readonly ConcurrentQueue<Publish> _publishes = new();
    private readonly ConcurrentQueue<(string Command, byte[] Json)> _replies = new();
    private readonly ConcurrentQueue<byte[]> _states = new();
    private readonly ConcurrentDictionary<string, int> _inFlight = new();
    private readonly ConcurrentDictionary<string, int> _maxInFlight = new();
    private volatile bool _connected;
    private int _whileDisconnected;
    private readonly ConcurrentQueue<(string Stream, long Seq)> _refused = new();

    public FakeTransport(bool connected = true) => _connected = connected;

    public string Name => "fake";

    public bool IsConnected => _connected;

    public Func<TransportCommand, CancellationToken, ValueTask>? CommandReceived { get; set; }

    public event EventHandler<bool>? Connected;

    public event EventHandler<Exception?>? Disconnected;

    /// <summary>True: every publish is acknowledged at once. False: each waits for <see cref="Publish.Ack"/> or <see cref="Publish.Fail"/>.</summary>
    public bool AutoAcknowledge { get; set; } = true;

    /// <summary>Every publish, in call order.</summary>
    public IReadOnlyList<Publish> Publishes => [.. _publishes];

    public IReadOnlyList<(string Command, byte[] Json)> Replies => [.. _replies];

    public IReadOnlyList<byte[]> States => [.. _states];

    public int PublishesWhileDisconnected => Volatile.Read(ref _whileDisconnected);

    /// <summary>The publishes refused because the transport was disconnected, in call order.</summary>
    public IReadOnlyList<(string Stream, long Seq)> RefusedWhileDisconnected => [.. _refused];

    public int InFlight(string stream) => _inFlight.GetValueOrDefault(stream);

    public int MaxInFlight(string stream) => _maxInFlight.GetValueOrDefault(stream);

    public IEnumerable<long> Seqs(string stream) => Publishes.Where(p => p.Stream == stream).Select(p => p.Seq);

    public void RaiseConnected()
    {
        _connected = true;
        Connected?.Invoke(this, false);
    }

    public void RaiseDisconnected(Exception? reason)
    {
        _connected = false;
        Disconnected?.Invoke(this, reason);
    }

    public Task ConnectAsync(CancellationToken cancellationToken)
    {
        RaiseConnected();
        return Task.CompletedTask;
    }

    public ValueTask PublishTelemetryAsync(string stream, long seq, ReadOnlyMemory<byte> jws, CancellationToken cancellationToken)
    {
        // As the real MQTT client does: a cancelled caller is answered before anything else is looked at.
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled(cancellationToken);
        if (!_connected)
        {
            Interlocked.Increment(ref _whileDisconnected);
            _refused.Enqueue((stream, seq));
            return ValueTask.FromException(new MqttCommunicationException("not connected"));
        }

        var inFlight = _inFlight.AddOrUpdate(stream, 1, (_, n) => n + 1);
        _maxInFlight.AddOrUpdate(stream, inFlight, (_, n) => Math.Max(n, inFlight));
        var publish = new Publish(stream, seq, jws.ToArray(), () => _inFlight.AddOrUpdate(stream, 0, (_, n) => n - 1), cancellationToken);
        _publishes.Enqueue(publish);
        if (AutoAcknowledge) publish.Ack();
        return new ValueTask(publish.Done.Task);
    }

    public ValueTask PublishStateAsync(ReadOnlyMemory<byte> stateJson, CancellationToken cancellationToken)
    {
        _states.Enqueue(stateJson.ToArray());
        return ValueTask.CompletedTask;
    }

    public ValueTask PublishReplyAsync(string command, ReadOnlyMemory<byte> replyJson, CancellationToken cancellationToken)
    {
        _replies.Enqueue((command, replyJson.ToArray()));
        return ValueTask.CompletedTask;
    }

    public Task DisconnectAsync(ReadOnlyMemory<byte> offlineStateJson, CancellationToken cancellationToken)
    {
        _states.Enqueue(offlineStateJson.ToArray());
        _connected = false;
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>One publish; a held one ends with <see cref="Ack"/>, <see cref="Fail"/> or its token.</summary>
    internal sealed class Publish
    {
        private readonly Action _settled;
        private int _done;

        public Publish(string stream, long seq, byte[] payload, Action settled, CancellationToken cancellationToken)
        {
            Stream = stream;
            Seq = seq;
            Payload = payload;
            _settled = settled;
            // As a real client does: a publish whose caller gives up ends cancelled.
            cancellationToken.Register(() => Settle(() => Done.TrySetCanceled(cancellationToken)));
        }

        public string Stream { get; }

        public long Seq { get; }

        public byte[] Payload { get; }

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Ack() => Settle(() => Done.TrySetResult());

        public void Fail(Exception error) => Settle(() => Done.TrySetException(error));

        // Out of flight before the caller can see the outcome, so in-flight counts are exact at the next publish.
        private void Settle(Action complete)
        {
            if (Interlocked.Exchange(ref _done, 1) != 0) return;
            _settled();
            complete();
        }
    }
}
