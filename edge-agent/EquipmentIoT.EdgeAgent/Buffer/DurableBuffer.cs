using Microsoft.Extensions.Logging;

namespace EquipmentIoT.EdgeAgent.Buffer;

/// <summary>
/// The durable store-and-forward buffer (FORMAT.md): signed batches of the "metrics" and "events"
/// streams in append-only segment files, fsynced before an append completes, forwarded in seq order
/// through a per-stream send cursor and deleted only once acknowledged (and past retention, or to make
/// room). The newest record of each stream always stays on disk so the agent can continue its chain.
/// <para>
/// Threads: appends are queued and written by one writer thread that takes everything queued, writes
/// it with one gathered write per segment and one fsync per touched file (group commit). Readers and
/// acknowledgers run on any thread; file reads happen outside the lock on handles they hold a
/// reference on. Payloads returned are arrays of their own (see <see cref="BufferedRecord"/>).
/// </para>
/// </summary>
public sealed partial class DurableBuffer : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly object _ackWriteGate = new();
    private readonly BufferOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<DurableBuffer> _logger;
    private readonly SegmentFileIo _io;
    private readonly StreamState _metrics;
    private readonly StreamState _events;
    private readonly StreamState[] _streams;
    private readonly TaskCompletionSource _writerDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _maintenance;

    private List<PendingAppend> _queue = [];
    private bool _closing;
    private bool _isDisposed;
    private long _usedBytes;
    private long _pendingBytes;
    private long _lastBulkRecordBytes = RecordFormat.HeaderSize + 1;
    private long _evictedBatches;
    private long _evictedBytes;
    private long _expiredBatches;
    private long _refusedBatches;
    private long _refusedBytes;
    private long _overCapacityBytes;
    private long _lastOverCapacityLogMs = long.MinValue;
    private long _fsyncs;
    private long _corruptOnRead;

    private DurableBuffer(BufferOptions options, TimeProvider time, ILogger<DurableBuffer> logger, SegmentFileIo io,
        StreamState metrics, StreamState events, RecoveryReport recovery)
    {
        _options = options;
        _time = time;
        _logger = logger;
        _io = io;
        _metrics = metrics;
        _events = events;
        _streams = [metrics, events];
        Recovery = recovery;
        _usedBytes = metrics.UsedBytes + events.UsedBytes;
        var writer = new Thread(WriterMain) { IsBackground = true, Name = "eqiot-buffer-writer" };
        writer.Start();
        _maintenance = MaintainAsync(_stop.Token);
    }

    /// <summary>What opening found and repaired.</summary>
    public RecoveryReport Recovery { get; }

    /// <summary>
    /// How full the buffer is, over bytes that cannot be reclaimed (fully acknowledged segments that
    /// could be evicted do not count): Full when a metrics record as big as the last one would be
    /// refused, Thinning from <see cref="BufferOptions.ThinningThreshold"/> × MaxBytes, else Normal.
    /// </summary>
    public BufferPressure Pressure
    {
        get
        {
            lock (_gate) return PressureLocked();
        }
    }

    /// <summary>
    /// Opens (creating when missing) the buffer in <see cref="BufferOptions.Directory"/> and recovers it:
    /// torn and damaged records are cut, the rest indexed, the send cursors put after the ack watermarks.
    /// </summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    /// <exception cref="IOException">The buffer directory itself cannot be created.</exception>
    public static DurableBuffer Open(BufferOptions options, TimeProvider time, ILogger<DurableBuffer> logger) =>
        Open(options, time, logger, SegmentFileIo.Default);

    internal static DurableBuffer Open(BufferOptions options, TimeProvider time, ILogger<DurableBuffer> logger, SegmentFileIo io)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        options.Validate();
        var root = Path.GetFullPath(options.Directory);
        Directory.CreateDirectory(root);
        var created = BufferStreams.All.Any(name => !Directory.Exists(Path.Combine(root, name)));
        var metrics = new StreamState(BufferStreams.Metrics, Path.Combine(root, BufferStreams.Metrics));
        var events = new StreamState(BufferStreams.Events, Path.Combine(root, BufferStreams.Events));
        var report = new RecoveryReport([BufferRecovery.Recover(metrics), BufferRecovery.Recover(events)]);
        if (created) io.SyncDirectory(root);
        foreach (var s in new[] { metrics, events })
        {
            s.Newest?.AllowAppends();
            var r = report.For(s.Name);
            if (r.IsClean) LogRecovered(logger, s.Name, r.RecordsKept, s.LastSeq, s.Watermark);
            else LogRecoveryRepaired(logger, s.Name, r.RecordsKept, r.BytesCut, string.Join(' ', r.LostRanges), r.SkippedRecords,
                string.Join(", ", r.FilesAffected), string.Join("; ", r.Problems));
        }

        var buffer = new DurableBuffer(options, time, logger, io, metrics, events, report);
        buffer.RunMaintenance();
        return buffer;
    }

    /// <summary>Seq of the stream's newest stored record; 0 when it never had one.</summary>
    public long LastSeq(string stream)
    {
        var s = Stream(stream);
        lock (_gate) return s.LastSeq;
    }

    /// <summary>
    /// The bytes of the stream's newest record, for the next batch's <c>prev</c> hash; null when the
    /// stream has none on disk. Reads the disk.
    /// </summary>
    /// <exception cref="InvalidDataException">The newest record no longer matches its checksum.</exception>
    public byte[]? LastRecord(string stream)
    {
        var s = Stream(stream);
        Segment segment;
        IndexEntry entry;
        Microsoft.Win32.SafeHandles.SafeFileHandle handle;
        lock (_gate)
        {
            ThrowIfDisposed();
            if (s.Newest is null) return null;
            segment = s.Newest;
            entry = segment.Index[segment.Index.Count - 1];
            handle = segment.AcquireHandle();
        }

        try
        {
            return TryReadRecord(handle, entry, s.Name, out var record)
                ? record.Payload.ToArray()
                : throw new InvalidDataException($"the newest {s.Name} record (seq {entry.Seq}) in {segment.FileName} fails its checksum");
        }
        finally
        {
            handle.DangerousRelease();
        }
    }

    /// <summary>Waits for queued appends to be written, stops the maintenance loop, writes the ack files and closes the files.</summary>
    public async ValueTask DisposeAsync()
    {
        bool first;
        lock (_gate)
        {
            first = !_closing;
            _closing = true;
            Monitor.PulseAll(_gate);
        }

        if (!first)
        {
            await _disposed.Task.ConfigureAwait(false);
            return;
        }

        await _writerDone.Task.ConfigureAwait(false);
        await _stop.CancelAsync().ConfigureAwait(false);
        await _maintenance.ConfigureAwait(false);
        FlushAcknowledgements();
        lock (_gate)
        {
            _isDisposed = true;
            foreach (var s in _streams)
            {
                s.Appended.TrySetException(new ObjectDisposedException(nameof(DurableBuffer)));
                foreach (var segment in s.Segments) segment.Dispose();
            }
        }

        _stop.Dispose();
        _disposed.TrySetResult();
    }

    /// <summary>fsyncs made since open (files and directories); the tests check group commit with it.</summary>
    internal long FsyncCount => Interlocked.Read(ref _fsyncs);

    private StreamState Stream(string stream) => stream switch
    {
        BufferStreams.Metrics => _metrics,
        BufferStreams.Events => _events,
        _ => throw new ArgumentException($"unknown buffer stream '{stream}' (expected \"{BufferStreams.Metrics}\" or \"{BufferStreams.Events}\")", nameof(stream)),
    };

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_isDisposed, this);

    // Bytes that eviction could free now: fully acknowledged segments other than each stream's newest.
    private long ReclaimableLocked()
    {
        long bytes = 0;
        foreach (var s in _streams)
        {
            for (var i = 0; i < s.Segments.Count - 1 && s.Segments[i].Index.LastSeq <= s.Watermark; i++) bytes += s.Segments[i].Length;
        }

        return bytes;
    }

    private BufferPressure PressureLocked()
    {
        var needed = _usedBytes + _pendingBytes - ReclaimableLocked();
        var bulkLimit = _options.MaxBytes - _options.EffectiveCriticalReserve;
        if (needed + _lastBulkRecordBytes > bulkLimit) return BufferPressure.Full;
        return needed >= _options.ThinningThreshold * _options.MaxBytes ? BufferPressure.Thinning : BufferPressure.Normal;
    }
}
