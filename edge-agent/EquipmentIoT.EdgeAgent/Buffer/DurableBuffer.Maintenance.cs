namespace EquipmentIoT.EdgeAgent.Buffer;

public sealed partial class DurableBuffer
{
    /// <summary>A snapshot of sizes, cursors, watermarks and counters.</summary>
    public BufferStatistics GetStatistics()
    {
        lock (_gate)
        {
            var streams = _streams.Select(StatisticsLocked).ToList();
            return new BufferStatistics(streams, _usedBytes + _pendingBytes, _options.MaxBytes, _options.EffectiveCriticalReserve,
                PressureLocked(), _evictedBatches, _evictedBytes, _expiredBatches, _refusedBatches, _refusedBytes, _overCapacityBytes,
                Interlocked.Read(ref _fsyncs), Interlocked.Read(ref _corruptOnRead), Recovery);
        }
    }

    /// <summary>Writes changed ack files and deletes acknowledged segments past retention; runs every MaintenanceInterval.</summary>
    internal void RunMaintenance()
    {
        FlushAcknowledgements();
        ApplyRetention();
    }

    private async Task MaintainAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.MaintenanceInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false)) RunMaintenance();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Disposed.
        }
    }

    private void FlushAcknowledgements()
    {
        lock (_ackWriteGate)
        {
            var dirty = new List<(StreamState Stream, long Watermark)>(2);
            lock (_gate)
            {
                foreach (var s in _streams)
                {
                    if (!s.AckDirty) continue;
                    dirty.Add((s, s.Watermark));
                    s.AckDirty = false;
                }
            }

            foreach (var (s, watermark) in dirty)
            {
                try
                {
                    AckFile.Write(s.Directory, watermark);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    lock (_gate) s.AckDirty = true;
                    LogAckWriteFailed(_logger, s.Name, e.Message);
                }
            }
        }
    }

    private void ApplyRetention()
    {
        var cutoff = (_time.GetUtcNow() - _options.AcknowledgedRetention).ToUnixTimeMilliseconds();
        List<Segment>? expired = null;
        long batches = 0;
        lock (_gate)
        {
            foreach (var s in _streams)
            {
                var n = 0;
                while (n < s.Segments.Count - 1 && s.Segments[n].Index.LastSeq <= s.Watermark && s.Segments[n].LastAppendedAtMs <= cutoff)
                {
                    var segment = s.Segments[n++];
                    (expired ??= []).Add(segment);
                    batches += segment.Index.Count;
                    _usedBytes -= segment.Length;
                }

                s.Segments.RemoveRange(0, n);
            }

            _expiredBatches += batches;
        }

        if (expired is null) return;
        LogExpired(_logger, expired.Count, batches, _options.AcknowledgedRetention);
        DeleteSegments(expired);
    }

    // The segments are already out of the index. The ack files go first, so that after a crash the
    // watermark on disk covers every deleted record (recovery reports a gap below the first record as lost).
    private void DeleteSegments(List<Segment> segments)
    {
        FlushAcknowledgements();
        foreach (var segment in segments)
        {
            segment.Dispose();
            try
            {
                File.Delete(segment.Path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                LogDeleteFailed(_logger, segment.FileName, e.Message);
            }
        }
    }

    private StreamStatistics StatisticsLocked(StreamState s)
    {
        var (unsent, unsentBytes, oldest) = CountFromLocked(s, s.CursorNext);
        var (aboveWatermark, aboveWatermarkBytes, oldestUnacknowledged) = CountFromLocked(s, s.Watermark + 1);
        return new StreamStatistics(s.Name, s.Class, s.LastSeq, s.Watermark, unsent, unsentBytes,
            Math.Max(0, aboveWatermark - s.AckedAbove.Count), oldest, s.UsedBytes, s.Segments.Count,
            aboveWatermarkBytes, oldestUnacknowledged);
    }

    // Records on disk with seq ≥ from, their payload bytes, and the append time of the first.
    private static (long Count, long Bytes, DateTimeOffset? FirstAppendedAt) CountFromLocked(StreamState s, long from)
    {
        if (!s.TryLocate(from, out var segment, out var index)) return (0, 0, null);
        long count = 0, bytes = 0;
        DateTimeOffset? first = null;
        for (var si = s.Segments.IndexOf(segment); si < s.Segments.Count; si++, index = 0)
        {
            var seg = s.Segments[si];
            if (index == 0)
            {
                count += seg.Index.Count;
                bytes += seg.PayloadBytes;
            }
            else
            {
                count += seg.Index.Count - index;
                for (var i = index; i < seg.Index.Count; i++) bytes += seg.Index[i].Length;
            }

            if (first is null && index < seg.Index.Count) first = DateTimeOffset.FromUnixTimeMilliseconds(seg.AppendedAtMs(seg.Index[index]));
        }

        return (count, bytes, first);
    }
}
