namespace EquipmentIoT.EdgeAgent.Buffer;

public sealed partial class DurableBuffer
{
    /// <summary>
    /// Stores <paramref name="record"/> as <paramref name="seq"/> of <paramref name="stream"/>; completes once
    /// it is written and fsynced (together with whatever else was queued: group commit). Room is decided
    /// here, synchronously: acknowledged segments are evicted first (oldest first, even inside retention);
    /// then a metrics record is <see cref="AppendResult.Refused"/> (never evicting unsent data) and an
    /// events record uses the critical reserve and, beyond the bound, is still stored
    /// (<see cref="AppendResult.StoredOverCapacity"/>). <paramref name="record"/> must not change until
    /// the returned task completes. <paramref name="cancellationToken"/> is honoured only before the
    /// record is queued: a queued record is written, to keep the stream in order.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown stream, empty or over-1-MiB record, or a seq that is not the stream's last + 1.</exception>
    /// <exception cref="BufferWriteException">(From the task) the disk write or fsync failed; nothing of the record is left on disk.</exception>
    /// <exception cref="ObjectDisposedException">The buffer is closing.</exception>
    public ValueTask<AppendResult> AppendAsync(string stream, long seq, ReadOnlyMemory<byte> record, CancellationToken cancellationToken)
    {
        var s = Stream(stream);
        if (record.Length is 0 or > RecordFormat.MaxPayloadBytes)
            throw new ArgumentException($"a buffer record holds 1 to {RecordFormat.MaxPayloadBytes} bytes, not {record.Length}", nameof(record));
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled<AppendResult>(cancellationToken);

        var size = RecordFormat.RecordSize(record.Length);
        List<Segment>? evicted = null;
        PendingAppend? pending = null;
        AppendResult result;
        long evictedBatches = 0;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_closing, this);
            if (seq != s.AcceptedSeq + 1)
                throw new ArgumentException($"{s.Name} seq {seq} does not follow {s.AcceptedSeq}; expected {s.AcceptedSeq + 1}", nameof(seq));
            result = Admit(s, size, ref evicted, ref evictedBatches);
            if (result == AppendResult.Refused)
            {
                _refusedBatches++;
                _refusedBytes += record.Length;
            }
            else
            {
                s.AcceptedSeq = seq;
                _pendingBytes += size;
                pending = new PendingAppend(s, seq, record, s.Epoch, result);
                _queue.Add(pending);
                if (_queue.Count == 1) Monitor.Pulse(_gate);
            }
        }

        if (evicted is not null)
        {
            LogEvicted(_logger, evicted.Count, evictedBatches, evicted.Sum(x => x.Length));
            DeleteSegments(evicted);
        }

        if (result == AppendResult.StoredOverCapacity) MaybeLogOverCapacity(s.Name, seq);
        return pending is null ? ValueTask.FromResult(result) : new ValueTask<AppendResult>(pending.Completion.Task);
    }

    // Under the lock. Decides where the record fits, evicting acknowledged segments when it would not.
    private AppendResult Admit(StreamState s, long size, ref List<Segment>? evicted, ref long evictedBatches)
    {
        var max = _options.MaxBytes;
        var bulkLimit = max - _options.EffectiveCriticalReserve;
        if (s.Class == BufferStreamClass.Bulk) _lastBulkRecordBytes = size;
        // Evict before anyone dips into the reserve, so it stays free for events as long as possible.
        var after = _usedBytes + _pendingBytes + size;
        if (after > bulkLimit)
        {
            evicted = EvictAcknowledgedLocked(after - bulkLimit, out evictedBatches);
            after = _usedBytes + _pendingBytes + size;
        }

        if (s.Class == BufferStreamClass.Bulk) return after <= bulkLimit ? AppendResult.Stored : AppendResult.Refused;
        if (after <= max) return AppendResult.Stored;
        _overCapacityBytes += Math.Min(size, after - max);
        return AppendResult.StoredOverCapacity;
    }

    // Under the lock. Takes fully acknowledged segments (never a stream's newest), oldest first across
    // both streams, out of the index until `needed` bytes are freed; the caller deletes the files.
    private List<Segment>? EvictAcknowledgedLocked(long needed, out long batches)
    {
        batches = 0;
        List<Segment>? taken = null;
        int m = 0, e = 0;
        long freed = 0;
        while (freed < needed)
        {
            var fromMetrics = Candidate(_metrics, m);
            var fromEvents = Candidate(_events, e);
            Segment pick;
            if (fromMetrics is null && fromEvents is null) break;
            if (fromEvents is null || (fromMetrics is not null && fromMetrics.LastAppendedAtMs <= fromEvents.LastAppendedAtMs))
            {
                pick = fromMetrics!;
                m++;
            }
            else
            {
                pick = fromEvents;
                e++;
            }

            (taken ??= []).Add(pick);
            freed += pick.Length;
            batches += pick.Index.Count;
        }

        if (taken is null) return null;
        _metrics.Segments.RemoveRange(0, m);
        _events.Segments.RemoveRange(0, e);
        _usedBytes -= freed;
        _evictedBatches += batches;
        _evictedBytes += freed;
        return taken;

        static Segment? Candidate(StreamState s, int i) =>
            i < s.Segments.Count - 1 && s.Segments[i].Index.LastSeq <= s.Watermark ? s.Segments[i] : null;
    }

    private void MaybeLogOverCapacity(string stream, long seq)
    {
        // An error, but not one per record: at most one line a minute while it lasts.
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        long total;
        lock (_gate)
        {
            if (_lastOverCapacityLogMs != long.MinValue && now - _lastOverCapacityLogMs < 60_000) return;
            _lastOverCapacityLogMs = now;
            total = _overCapacityBytes;
        }

        LogOverCapacity(_logger, _options.MaxBytes, stream, seq, total);
    }
}
