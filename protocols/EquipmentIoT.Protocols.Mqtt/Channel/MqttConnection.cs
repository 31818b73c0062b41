using System.IO.Pipelines;
using EquipmentIoT.Protocols.Mqtt.Client;
using EquipmentIoT.Protocols.Mqtt.Packets;

namespace EquipmentIoT.Protocols.Mqtt.Channel;

/// <summary>
/// One network connection: the stream, an outgoing pipe that writers encode into (under the client's
/// write lock) and a send loop that drains it to the socket in large writes, and the incoming
/// <see cref="PipeReader"/>. Bytes only: what the bytes mean is the client's business.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The CTS has no timer; it is cancelled on Abort and its token is read after that, so it is never disposed.")]
internal sealed class MqttConnection
{
    private readonly object _writeLock;
    private readonly Stream _stream;
    private readonly Pipe _output;
    private readonly CancellationTokenSource _cts = new();
    private readonly TimeProvider _time;
    private readonly long _lowWater;
    private long _unsent;
    private int _aborted;

    // writeLock: the client's write lock; every write to Output, and Abort, hold it.
    public MqttConnection(Stream stream, int generation, TimeProvider time, int highWaterBytes, object writeLock)
    {
        _writeLock = writeLock;
        _stream = stream;
        _time = time;
        _lowWater = highWaterBytes / 2;
        Generation = generation;
        // No pause threshold: writers encode under a lock and must never wait there; the client applies
        // back-pressure itself (the in-flight window, and the unsent byte count for QoS 0).
        _output = new Pipe(new PipeOptions(pauseWriterThreshold: 0, resumeWriterThreshold: 0, minimumSegmentSize: 16 * 1024, useSynchronizationContext: false));
        Input = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 4096, leaveOpen: true));
        LastSent = LastReceived = time.GetTimestamp();
    }

    public int Generation { get; }
    public PipeReader Input { get; }
    public PipeWriter Output => _output.Writer;
    public CancellationToken Closing => _cts.Token;
    public long Unsent => Interlocked.Read(ref _unsent);
    public Exception? Error { get; private set; }
    /// <summary>False once the connection is closing: check it under the write lock before writing.</summary>
    public bool IsAborted => Volatile.Read(ref _aborted) != 0;

    /// <summary>Set when the unsent bytes fall below half the high-water mark, and when the connection ends.</summary>
    public AsyncSignal Drained { get; } = new();

    public TaskCompletionSource<MqttConnAckPacket> ConnAck { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public long LastSent { get; private set; }
    public long LastReceived { get; set; }
    public long PingSentAt { get; set; }
    public bool ReadBlocked { get; set; }
    public Task SendLoop { get; private set; } = Task.CompletedTask;

    public void Start() => SendLoop = SendLoopAsync();

    /// <summary>Makes what was encoded visible to the send loop. Caller holds the client's write lock.</summary>
    public void Commit(int bytes)
    {
        Interlocked.Add(ref _unsent, bytes);
        LastSent = _time.GetTimestamp();
        // Never waits: there is no pause threshold. A completed reader (connection closing) is fine too.
        var flush = _output.Writer.FlushAsync(CancellationToken.None);
        System.Diagnostics.Debug.Assert(flush.IsCompleted, "the outgoing pipe has no pause threshold");
        flush.GetAwaiter().GetResult();
    }

    /// <summary>Stops sending new data and lets the send loop flush what is queued; then closes.</summary>
    public async Task CloseGracefullyAsync(TimeSpan timeout)
    {
        lock (_writeLock)
        {
            if (IsAborted) return;
            Interlocked.Exchange(ref _aborted, 2); // no more writes; the send loop flushes what is queued
            _output.Writer.Complete();
        }
        await SendLoop.WaitAsync(timeout).ConfigureAwait(false);
        Abort(null);
    }

    /// <summary>Closes the connection at once; the first error given is kept as <see cref="Error"/>.</summary>
    public void Abort(Exception? error)
    {
        lock (_writeLock)
        {
            if (Interlocked.Exchange(ref _aborted, 1) == 1) return;
        }
        Error = error;
        ConnAck.TrySetException(error ?? new MqttCommunicationException("the connection was closed"));
        try
        {
            _cts.Cancel();
        }
        catch (AggregateException)
        {
            // A registration threw; the connection is closing regardless.
        }
        lock (_writeLock) _output.Writer.Complete();
        _output.Reader.Complete();
        _stream.Dispose();
        Drained.Set();
    }

    private async Task SendLoopAsync()
    {
        var reader = _output.Reader;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(_cts.Token).ConfigureAwait(false);
                var buffer = result.Buffer;
                foreach (var segment in buffer)
                    await _stream.WriteAsync(segment, _cts.Token).ConfigureAwait(false);
                var sent = buffer.Length; // read before AdvanceTo: afterwards the segments go back to the pool
                reader.AdvanceTo(buffer.End);
                if (Interlocked.Add(ref _unsent, -sent) <= _lowWater && Drained.HasWaiters) Drained.Set();
                if (result.IsCompleted) break;
            }
            await _stream.FlushAsync(_cts.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // Any failure ends the connection; the receive loop then reports it once.
            Abort(IsAborted ? null : new MqttCommunicationException($"sending to the broker failed: {ex.Message}", ex));
        }
    }
}
