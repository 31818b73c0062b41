using EquipmentIoT.Protocols.Serial.Interop;

namespace EquipmentIoT.Protocols.Serial;

/// <summary>
/// A terminal device (a serial port or a pseudo-terminal master) as a <see cref="Stream"/>.
/// <para>
/// Reads return as soon as at least one byte is available, with whatever the kernel holds at that moment
/// (up to the buffer's size): there is no inter-byte timer, so a reader sees a frame in pieces as it
/// arrives and must do its own framing (a line framer, or Modbus RTU's 3.5-character silence). A read
/// waits in poll(2) on the device and on an eventfd, so cancelling its token or disposing the stream wakes
/// it at once. A hang-up (device unplugged, pseudo-terminal closed) or EIO ends a read or write with
/// <see cref="SerialCommunicationException"/>; reads never return 0.
/// </para>
/// <para>
/// A pending read or write occupies a thread-pool thread while it waits (poll(2) blocks): fine for the
/// handful of ports one agent reads, not meant for hundreds. One reader and one writer at a time.
/// </para>
/// </summary>
public abstract class TerminalStream : Stream
{
    private readonly FileDescriptorHandle _fd;
    private readonly FileDescriptorHandle _wake;
    private int _disposed;
    private int _readTimeout = Timeout.Infinite;
    private int _writeTimeout = Timeout.Infinite;

    private protected TerminalStream(FileDescriptorHandle fd, string path)
    {
        _fd = fd;
        Path = path;
        var wake = LibC.EventFd(0, LibC.EfdNonBlock | LibC.EfdCloExec);
        if (wake < 0) throw SerialCommunicationException.LastError(path, "eventfd");
        _wake = new FileDescriptorHandle(wake);
    }

    /// <summary>The device path.</summary>
    public string Path { get; }

    /// <inheritdoc/>
    public override bool CanRead => _disposed == 0;

    /// <inheritdoc/>
    public override bool CanWrite => _disposed == 0;

    /// <inheritdoc/>
    public override bool CanSeek => false;

    /// <inheritdoc/>
    public override bool CanTimeout => true;

    /// <summary>Milliseconds a read waits for the first byte before <see cref="TimeoutException"/>; <see cref="Timeout.Infinite"/> by default.</summary>
    public override int ReadTimeout
    {
        get => _readTimeout;
        set => _readTimeout = CheckTimeout(value);
    }

    /// <summary>Milliseconds a write waits for room in the output queue before <see cref="TimeoutException"/>; <see cref="Timeout.Infinite"/> by default.</summary>
    public override int WriteTimeout
    {
        get => _writeTimeout;
        set => _writeTimeout = CheckTimeout(value);
    }

    /// <inheritdoc/>
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc/>
    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    private protected FileDescriptorHandle Handle => _fd;

    /// <inheritdoc/>
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled<int>(cancellationToken);
        if (buffer.IsEmpty) return ValueTask.FromResult(0);

        // Bytes already waiting: no thread hop.
        var n = TryRead(buffer.Span, hungUp: false);
        if (n > 0) return ValueTask.FromResult(n);
        return new ValueTask<int>(Task.Run(() => ReadWaiting(buffer, cancellationToken), CancellationToken.None));
    }

    /// <inheritdoc/>
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc/>
    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    /// <inheritdoc/>
    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (buffer.IsEmpty) return 0;
        var array = new byte[buffer.Length];
        var n = ReadWaiting(array, CancellationToken.None);
        array.AsSpan(0, n).CopyTo(buffer);
        return n;
    }

    /// <inheritdoc/>
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled(cancellationToken);
        var written = TryWrite(buffer.Span);
        if (written == buffer.Length) return ValueTask.CompletedTask;
        var rest = buffer[written..];
        return new ValueTask(Task.Run(() => WriteWaiting(rest, cancellationToken), CancellationToken.None));
    }

    /// <inheritdoc/>
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc/>
    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var written = TryWrite(buffer);
        if (written < buffer.Length) WriteWaiting(buffer[written..].ToArray(), CancellationToken.None);
    }

    /// <summary>Does nothing: writes are not buffered here, they go straight to the kernel. See <see cref="DrainAsync"/>.</summary>
    public override void Flush()
    {
    }

    /// <summary>Does nothing: writes are not buffered here. See <see cref="DrainAsync"/>.</summary>
    public override Task FlushAsync(CancellationToken cancellationToken) =>
        cancellationToken.IsCancellationRequested ? Task.FromCanceled(cancellationToken) : Task.CompletedTask;

    /// <summary>
    /// Waits until the kernel's output queue is empty (TIOCOUTQ reads 0), i.e. everything written has gone
    /// to the UART, polling every <paramref name="pollInterval"/> (1 ms when null). Unlike tcdrain(3) it can be cancelled.
    /// </summary>
    public async Task DrainAsync(TimeSpan? pollInterval = null, CancellationToken cancellationToken = default)
    {
        var interval = pollInterval ?? TimeSpan.FromMilliseconds(1);
        while (OutputQueueLength() > 0)
        {
            await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Bytes written but not yet sent (TIOCOUTQ).</summary>
    public unsafe int OutputQueueLength()
    {
        var count = new int[1];
        var rc = WithFd(fd =>
        {
            fixed (int* p = count) return LibC.Ioctl(fd, LibC.TiocOutQ, p);
        });
        if (rc < 0) throw SerialCommunicationException.LastError(Path, "ioctl(TIOCOUTQ)");
        return count[0];
    }

    /// <summary>Drops bytes received but not yet read (tcflush TCIFLUSH), e.g. before a Modbus request.</summary>
    public void DiscardInput() => TcFlush(LibC.TcIFlush, "tcflush(TCIFLUSH)");

    /// <summary>Drops bytes written but not yet sent (tcflush TCOFLUSH).</summary>
    public void DiscardOutput() => TcFlush(LibC.TcOFlush, "tcflush(TCOFLUSH)");

    /// <inheritdoc/>
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc/>
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0 && disposing)
        {
            Wake();
            _fd.Dispose();
            _wake.Dispose();
        }

        base.Dispose(disposing);
    }

    private static int CheckTimeout(int value) =>
        value == Timeout.Infinite || value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "a timeout is positive milliseconds or Timeout.Infinite");

    private void TcFlush(int selector, string operation)
    {
        if (WithFd(fd => LibC.TcFlush(fd, selector)) < 0) throw SerialCommunicationException.LastError(Path, operation);
    }

    private T WithFd<T>(Func<int, T> call)
    {
        var added = false;
        try
        {
            _fd.DangerousAddRef(ref added);
            return call(_fd.Fd);
        }
        finally
        {
            if (added) _fd.DangerousRelease();
        }
    }

    // One non-blocking read(2): >0 bytes, 0 when nothing is waiting; a hang-up or error throws.
    private unsafe int TryRead(Span<byte> buffer, bool hungUp)
    {
        while (true)
        {
            nint n;
            int errno;
            var added = false;
            try
            {
                _fd.DangerousAddRef(ref added);
                fixed (byte* p = buffer)
                {
                    n = LibC.Read(_fd.Fd, p, buffer.Length);
                    errno = n < 0 ? System.Runtime.InteropServices.Marshal.GetLastPInvokeError() : 0;
                }
            }
            finally
            {
                if (added) _fd.DangerousRelease();
            }

            if (n > 0) return (int)n;

            // Raw mode, VMIN 1, O_NONBLOCK: an empty queue is EAGAIN, so 0 means end of file (hung up).
            if (n == 0) throw new SerialCommunicationException($"{Path}: the device hung up (end of file)", LibC.EIo, isTransient: true);
            if (errno == LibC.EIntr) continue;
            if (errno == LibC.EAgain)
            {
                if (hungUp) throw new SerialCommunicationException($"{Path}: the device hung up", LibC.EIo, isTransient: true);
                return 0;
            }

            throw SerialCommunicationException.FromErrno(Path, "read", errno);
        }
    }

    private unsafe int TryWrite(ReadOnlySpan<byte> buffer)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            nint n;
            int errno;
            var added = false;
            try
            {
                _fd.DangerousAddRef(ref added);
                fixed (byte* p = buffer[total..])
                {
                    n = LibC.Write(_fd.Fd, p, buffer.Length - total);
                    errno = n < 0 ? System.Runtime.InteropServices.Marshal.GetLastPInvokeError() : 0;
                }
            }
            finally
            {
                if (added) _fd.DangerousRelease();
            }

            if (n > 0)
            {
                total += (int)n;
                continue;
            }

            if (n < 0 && errno == LibC.EIntr) continue;
            if (n == 0 || errno == LibC.EAgain) return total;
            throw SerialCommunicationException.FromErrno(Path, "write", errno);
        }

        return total;
    }

    private int ReadWaiting(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var deadline = _readTimeout == Timeout.Infinite ? long.MaxValue : Environment.TickCount64 + _readTimeout;
        using var registration = cancellationToken.UnsafeRegister(static s => ((TerminalStream)s!).Wake(), this);
        while (true)
        {
            var events = WaitFor(LibC.PollIn, deadline, "read", cancellationToken);
            var hungUp = (events & (LibC.PollHup | LibC.PollErr)) != 0;
            var n = TryRead(buffer.Span, hungUp);
            if (n > 0) return n;
        }
    }

    private void WriteWaiting(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        var deadline = _writeTimeout == Timeout.Infinite ? long.MaxValue : Environment.TickCount64 + _writeTimeout;
        using var registration = cancellationToken.UnsafeRegister(static s => ((TerminalStream)s!).Wake(), this);
        while (!buffer.IsEmpty)
        {
            var events = WaitFor(LibC.PollOut, deadline, "write", cancellationToken);
            if ((events & (LibC.PollHup | LibC.PollErr)) != 0 && (events & LibC.PollOut) == 0)
            {
                throw new SerialCommunicationException($"{Path}: the device hung up", LibC.EIo, isTransient: true);
            }

            buffer = buffer[TryWrite(buffer.Span)..];
        }
    }

    // poll(2) on the device and the wake-up eventfd until the device has `events` (or hangs up); throws on
    // cancellation, disposal and timeout.
    private unsafe short WaitFor(short events, long deadline, string operation, CancellationToken cancellationToken)
    {
        var fds = stackalloc LibC.PollFd[2];
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ObjectDisposedException.ThrowIf(_disposed != 0, this);
            var remaining = deadline == long.MaxValue ? -1 : (int)Math.Clamp(deadline - Environment.TickCount64, 0, int.MaxValue);
            if (remaining == 0) throw new TimeoutException($"{Path}: {operation} timed out");

            bool addedFd = false, addedWake = false;
            int rc, errno;
            try
            {
                _fd.DangerousAddRef(ref addedFd);
                _wake.DangerousAddRef(ref addedWake);
                fds[0] = new LibC.PollFd { Fd = _fd.Fd, Events = events };
                fds[1] = new LibC.PollFd { Fd = _wake.Fd, Events = LibC.PollIn };
                rc = LibC.Poll(fds, 2, remaining);
                errno = rc < 0 ? System.Runtime.InteropServices.Marshal.GetLastPInvokeError() : 0;
                if (rc > 0 && (fds[1].ReturnedEvents & LibC.PollIn) != 0)
                {
                    // Reset the eventfd counter; a stale wake-up from an earlier token just loops once.
                    ulong value;
                    _ = LibC.Read(_wake.Fd, (byte*)&value, sizeof(ulong));
                }
            }
            catch (ObjectDisposedException)
            {
                throw new ObjectDisposedException(GetType().Name);
            }
            finally
            {
                if (addedWake) _wake.DangerousRelease();
                if (addedFd) _fd.DangerousRelease();
            }

            if (rc < 0)
            {
                if (errno == LibC.EIntr) continue;
                throw SerialCommunicationException.FromErrno(Path, "poll", errno);
            }

            var returned = fds[0].ReturnedEvents;
            if ((returned & LibC.PollNval) != 0)
            {
                ObjectDisposedException.ThrowIf(_disposed != 0, this);
                throw new SerialCommunicationException($"{Path}: the descriptor is no longer valid", 0, isTransient: true);
            }

            if ((returned & (events | LibC.PollHup | LibC.PollErr)) != 0) return returned;
        }
    }

    private unsafe void Wake()
    {
        var added = false;
        try
        {
            _wake.DangerousAddRef(ref added);
            // eventfd(2) takes a host-order 8-byte counter increment. EAGAIN (counter full) means a
            // wake-up is pending already.
            ulong one = 1;
            _ = LibC.Write(_wake.Fd, (byte*)&one, sizeof(ulong));
        }
        catch (ObjectDisposedException)
        {
            // Closed: nobody is waiting any more.
        }
        finally
        {
            if (added) _wake.DangerousRelease();
        }
    }
}
