using System.Buffers;
using System.Threading.Channels;
using EquipmentIoT.Protocols.Modbus.Framing;
using EquipmentIoT.Protocols.Modbus.Pdu;

namespace EquipmentIoT.Protocols.Modbus.Client;

/// <summary>
/// A Modbus RTU master over any <see cref="Stream"/> whose ReadAsync honours cancellation (a serial port, or a
/// TCP socket carrying RTU framing). One request at a time on the bus (Serial Line V1.02 §2.1); at least t3.5
/// of silence before each frame; a response ends at its expected length (t3.5 of silence ends a partial one,
/// whose bytes are dropped); CRC checked; bytes before a valid frame, and late replies that arrive between
/// requests, are flushed and counted (resynchronisation). A broadcast (unit 0) gets no reply and is followed by
/// the turnaround delay. On an I/O error the stream is dropped and reopened through the factory, when one was given.
/// </summary>
public sealed class ModbusRtuMaster : ModbusMaster
{
    private readonly Func<CancellationToken, ValueTask<Stream>> _open;
    private readonly ModbusRtuMasterOptions _options;
    private readonly ModbusRtuTiming _timing;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _bus = new(1, 1);
    private readonly CancellationTokenSource _closing = new();
    private readonly byte[] _rx = new byte[ModbusLimits.MaxRtuAduLength * 2];
    private Link? _link;
    private long _quietAt;
    private long _discardedBytes;
    private long _crcErrors;

    /// <summary>Creates a master that opens its stream (again after an I/O error) through <paramref name="open"/>.</summary>
    public ModbusRtuMaster(Func<CancellationToken, ValueTask<Stream>> open, ModbusRtuMasterOptions? options = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(open);
        _open = open;
        _options = options ?? new ModbusRtuMasterOptions();
        _timing = ModbusRtuTiming.FromBaudRate(_options.BaudRate);
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Creates a master on an open <paramref name="stream"/> (not reopened after an error; disposed with the master).</summary>
    public ModbusRtuMaster(Stream stream, ModbusRtuMasterOptions? options = null, TimeProvider? time = null)
        : this(OnceOnly(stream), options, time)
    {
    }

    /// <summary>Bytes dropped: garbage before a frame, partial frames, late replies flushed before a request.</summary>
    public long DiscardedBytes => Interlocked.Read(ref _discardedBytes);

    /// <summary>Frames dropped for a CRC mismatch.</summary>
    public long CrcErrors => Interlocked.Read(ref _crcErrors);

    /// <summary>Chunks received and not yet consumed (bytes that arrived between requests, for tests).</summary>
    internal int IdleChunks => _link is { } link && link.Chunks.CanCount ? link.Chunks.Count : 0;

    /// <summary>The line's t1.5/t3.5.</summary>
    public ModbusRtuTiming Timing => _timing;

    /// <inheritdoc/>
    protected override async Task<ModbusResponse?> ExchangeAsync(byte unitId, ModbusRequest request, CancellationToken cancellationToken)
    {
        if (unitId > ModbusLimits.MaxUnitAddress) throw new ArgumentOutOfRangeException(nameof(unitId), unitId, "RTU addresses are 0 (broadcast) to 247");
        if (unitId == 0 && request.Function.IsRead()) throw new ArgumentException("a read cannot be broadcast", nameof(request));
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closing.Token);
        var ct = linked.Token;
        await _bus.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var link = await OpenAsync(ct).ConfigureAwait(false);
            var quiet = _time.GetElapsedTime(_time.GetTimestamp(), Interlocked.Read(ref _quietAt));
            if (quiet > TimeSpan.Zero) await Task.Delay(quiet, _time, ct).ConfigureAwait(false);
            Flush(link);

            var pdu = new ArrayBufferWriter<byte>(16);
            ModbusPdu.EncodeRequest(request, pdu);
            var adu = new ArrayBufferWriter<byte>(ModbusLimits.MaxRtuAduLength);
            ModbusRtuFraming.Encode(unitId, pdu.WrittenSpan, adu);
            try
            {
                await link.Stream.WriteAsync(adu.WrittenMemory, ct).ConfigureAwait(false);
                await link.Stream.FlushAsync(ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or NotSupportedException)
            {
                throw await FailAsync(link, e, "write").ConfigureAwait(false);
            }

            if (unitId == 0)
            {
                QuietFor(_options.TurnaroundDelay);
                return null;
            }

            try
            {
                var frame = await ReceiveAsync(link, unitId, request.Function, ct).ConfigureAwait(false);
                return ModbusPdu.DecodeResponse(frame);
            }
            finally
            {
                QuietFor(_timing.T35);
            }
        }
        finally
        {
            _bus.Release();
        }
    }

    /// <inheritdoc/>
    public override async ValueTask DisposeAsync()
    {
        await _closing.CancelAsync().ConfigureAwait(false);
        if (_link is { } link) await link.DisposeAsync().ConfigureAwait(false);
        _closing.Dispose();
        _bus.Dispose();
    }

    private async Task<byte[]> ReceiveAsync(Link link, byte unitId, ModbusFunctionCode function, CancellationToken ct)
    {
        var start = _time.GetTimestamp();
        var silence = _timing.T35 > _options.MinimumFrameSilence ? _timing.T35 : _options.MinimumFrameSilence;
        var count = 0;
        var quiet = false; // the line has been silent for t3.5 since the last byte: nothing more will complete a frame
        while (true)
        {
            // Take the first valid frame from this unit for this function; skip anything else byte by byte.
            while (count >= 2)
            {
                var head = _rx.AsSpan(0, count);
                if (head[0] == unitId && (head[1] & 0x7F) == (byte)function)
                {
                    var sequence = new ReadOnlySequence<byte>(_rx, 0, count);
                    try
                    {
                        if (!ModbusRtuFraming.TryDecode(ref sequence, ModbusFrameDirection.Response, out var frame))
                        {
                            // Incomplete: wait for more bytes, unless the line went quiet (then it was noise
                            // that looked like a header, and a real frame may follow it).
                            if (!quiet) break;
                            Skip(ref count, 1);
                            continue;
                        }

                        var rest = (int)sequence.Length;
                        Discard(rest);
                        return frame!.Pdu;
                    }
                    catch (ModbusProtocolException)
                    {
                        Interlocked.Increment(ref _crcErrors);
                    }
                }

                Skip(ref count, 1);
            }

            var remaining = _options.Timeout - _time.GetElapsedTime(start);
            if (remaining <= TimeSpan.Zero)
            {
                Discard(count);
                throw new ModbusCommunicationException($"Modbus RTU unit {unitId}: no valid response to function {(byte)function} within {_options.Timeout}") { IsTimeout = true };
            }

            var chunk = await NextChunkAsync(link, count > 0 && silence < remaining ? silence : remaining, ct).ConfigureAwait(false);
            if (chunk is null)
            {
                // t3.5 passed with a partial frame: it will not complete. Rescan from its second byte.
                quiet = true;
                if (count > 0) Skip(ref count, 1);
                continue;
            }

            quiet = false;

            var take = Math.Min(chunk.Length, _rx.Length - count);
            chunk.AsSpan(0, take).CopyTo(_rx.AsSpan(count));
            Interlocked.Add(ref _discardedBytes, chunk.Length - take);
            count += take;
        }

        void Skip(ref int n, int bytes)
        {
            _rx.AsSpan(bytes, n - bytes).CopyTo(_rx);
            n -= bytes;
            Interlocked.Add(ref _discardedBytes, bytes);
        }
    }

    private void Discard(int bytes) => Interlocked.Add(ref _discardedBytes, bytes);

    private async Task<byte[]?> NextChunkAsync(Link link, TimeSpan wait, CancellationToken ct)
    {
        if (link.Chunks.TryRead(out var ready)) return ready;
        using var timeout = new CancellationTokenSource(wait, _time);
        using var both = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            if (await link.Chunks.WaitToReadAsync(both.Token).ConfigureAwait(false) && link.Chunks.TryRead(out var chunk)) return chunk;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception e) when (e is ChannelClosedException or ModbusCommunicationException)
        {
            // The read loop ended: the stream failed or was closed under us.
            throw await FailAsync(link, e.InnerException ?? e, "read").ConfigureAwait(false);
        }

        throw await FailAsync(link, new EndOfStreamException("the stream ended"), "read").ConfigureAwait(false);
    }

    private void Flush(Link link)
    {
        while (link.Chunks.TryRead(out var late)) Interlocked.Add(ref _discardedBytes, late.Length);
    }

    private void QuietFor(TimeSpan delay) => Interlocked.Exchange(ref _quietAt, _time.GetTimestamp() + (long)(delay.TotalSeconds * _time.TimestampFrequency));

    private async Task<Link> OpenAsync(CancellationToken ct)
    {
        if (_link is { } open) return open;
        Stream stream;
        try
        {
            stream = await _open(ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            throw new ModbusCommunicationException($"Modbus RTU: cannot open the line: {e.Message}", e);
        }

        _link = new Link(stream, _closing.Token);
        return _link;
    }

    private async Task<ModbusCommunicationException> FailAsync(Link link, Exception cause, string what)
    {
        if (ReferenceEquals(_link, link)) _link = null;
        await link.DisposeAsync().ConfigureAwait(false);
        return new ModbusCommunicationException($"Modbus RTU: {what} failed: {cause.Message}", cause);
    }

    private static Func<CancellationToken, ValueTask<Stream>> OnceOnly(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var used = 0;
        return _ => Interlocked.Exchange(ref used, 1) == 0
            ? ValueTask.FromResult(stream)
            : ValueTask.FromException<Stream>(new InvalidOperationException("the stream given to the master has failed and cannot be reopened"));
    }

    /// <summary>An open stream and the loop that reads it into chunks (so that late bytes are seen and flushed).</summary>
    private sealed class Link : IAsyncDisposable
    {
        private readonly Channel<byte[]> _chunks = Channel.CreateBounded<byte[]>(
            new BoundedChannelOptions(64) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = true });
        private readonly CancellationTokenSource _stop;
        private readonly Task _reader;

        public Link(Stream stream, CancellationToken closing)
        {
            Stream = stream;
            _stop = CancellationTokenSource.CreateLinkedTokenSource(closing);
            _reader = Task.Run(ReadLoopAsync, CancellationToken.None);
        }

        public Stream Stream { get; }

        public ChannelReader<byte[]> Chunks => _chunks.Reader;

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            await Stream.DisposeAsync().ConfigureAwait(false);
            await _reader.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            _stop.Dispose();
        }

        private async Task ReadLoopAsync()
        {
            var buffer = new byte[ModbusLimits.MaxRtuAduLength];
            try
            {
                while (true)
                {
                    var n = await Stream.ReadAsync(buffer, _stop.Token).ConfigureAwait(false);
                    if (n == 0) break;
                    await _chunks.Writer.WriteAsync(buffer.AsSpan(0, n).ToArray(), _stop.Token).ConfigureAwait(false);
                }

                _chunks.Writer.TryComplete();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException or NotSupportedException)
            {
                // Waiting readers see this (WaitToReadAsync rethrows a completion exception as it is).
                _chunks.Writer.TryComplete(new ModbusCommunicationException($"Modbus RTU: the line failed: {e.Message}", e));
            }
        }
    }
}
