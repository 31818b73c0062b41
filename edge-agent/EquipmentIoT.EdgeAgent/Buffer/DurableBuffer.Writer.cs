using System.Buffers;

namespace EquipmentIoT.EdgeAgent.Buffer;

public sealed partial class DurableBuffer
{
    // Most buffers per gathered write; Linux's IOV_MAX is 1024.
    private const int MaxBuffersPerWrite = 512;

    private void WriterMain()
    {
        try
        {
            WriterLoop();
            _writerDone.TrySetResult();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _writerDone.TrySetException(e);
        }
    }

    // The one writer: takes everything queued, writes each stream's share with gathered writes, one
    // fsync per touched file, then completes all their waiters (group commit).
    private void WriterLoop()
    {
        var batch = new List<PendingAppend>();
        var metrics = new List<PendingAppend>();
        var events = new List<PendingAppend>();
        while (true)
        {
            lock (_gate)
            {
                while (_queue.Count == 0 && !_closing) Monitor.Wait(_gate);
                if (_queue.Count == 0) return;
                (batch, _queue) = (_queue, batch);
            }

            foreach (var p in batch) (p.Stream == _events ? events : metrics).Add(p);
            try
            {
                if (events.Count > 0) WriteGroup(_events, events);
                if (metrics.Count > 0) WriteGroup(_metrics, metrics);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A bug, not the disk (disk errors are handled in WriteGroup): fail the waiters instead of
                // leaving them hanging, and keep writing what comes next.
                LogWriterFailed(_logger, e);
                FailUnfinished(batch, e);
            }
            batch.Clear();
            events.Clear();
            metrics.Clear();
        }
    }

    private void WriteGroup(StreamState s, List<PendingAppend> items)
    {
        long expected, epoch;
        Segment? active;
        lock (_gate)
        {
            expected = s.LastSeq + 1;
            epoch = s.Epoch;
            active = s.Newest;
        }

        var group = new List<PendingAppend>(items.Count);
        List<PendingAppend>? stale = null;
        foreach (var p in items)
        {
            if (p.Epoch == epoch && p.Seq == expected)
            {
                group.Add(p);
                expected++;
            }
            else
            {
                (stale ??= []).Add(p);
            }
        }

        if (stale is not null)
        {
            Fail(stale, p => new BufferWriteException(s.Name, p.Seq, false,
                $"{s.Name} record {p.Seq} was not stored because an earlier record of the stream failed to store; append it again", null));
        }

        if (group.Count == 0) return;
        var nowMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
        var placements = new (Segment Segment, long Offset)[group.Count];
        var touched = new List<(Segment Segment, long StartLength, bool Created)>();
        var headers = ArrayPool<byte>.Shared.Rent(group.Count * RecordFormat.HeaderSize);
        try
        {
            var current = active is { RollBeforeNextAppend: false } ? active : null;
            var offset = current?.Length ?? 0;
            if (current is not null) touched.Add((current, offset, false));
            var buffers = new List<ReadOnlyMemory<byte>>(Math.Min(group.Count * 2, MaxBuffersPerWrite));
            var runStart = offset;
            for (var i = 0; i < group.Count; i++)
            {
                var p = group[i];
                if (current is null || (offset > 0 && offset + p.Size > _options.SegmentBytes))
                {
                    if (current is not null) WriteRun(current, buffers, ref runStart);
                    current = Segment.CreateNew(s.Directory, p.Seq);
                    touched.Add((current, 0, true));
                    offset = runStart = 0;
                }

                var header = headers.AsMemory(i * RecordFormat.HeaderSize, RecordFormat.HeaderSize);
                RecordFormat.WriteHeader(header.Span, p.Seq, nowMs, p.Payload.Span);
                buffers.Add(header);
                buffers.Add(p.Payload);
                placements[i] = (current, offset);
                offset += p.Size;
                if (buffers.Count >= MaxBuffersPerWrite) WriteRun(current, buffers, ref runStart);
            }

            WriteRun(current!, buffers, ref runStart);
            foreach (var (segment, start, created) in touched)
            {
                if (!Array.Exists(placements, x => x.Segment == segment)) continue;
                _io.Flush(segment.File);
                Interlocked.Increment(ref _fsyncs);
            }

            if (touched.Any(t => t.Created))
            {
                _io.SyncDirectory(s.Directory);
                Interlocked.Increment(ref _fsyncs);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Undo(s, touched);
            lock (_gate)
            {
                s.Epoch++;
                s.AcceptedSeq = s.LastSeq;
            }

            var diskFull = BufferWriteException.IsDiskFull(e);
            LogWriteFailed(_logger, s.Name, group[0].Seq, group[^1].Seq, diskFull ? "the disk is full" : "I/O error", e.Message);
            Fail(group, p => new BufferWriteException(s.Name, p.Seq, diskFull,
                $"{s.Name} record {p.Seq} was not stored: {(diskFull ? "the disk is full" : "the write failed")} ({e.Message})", e));
            return;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(headers);
        }

        Commit(s, group, placements, touched, nowMs);
    }

    private void WriteRun(Segment segment, List<ReadOnlyMemory<byte>> buffers, ref long offset)
    {
        if (buffers.Count == 0) return;
        _io.Write(segment.File.SafeFileHandle, buffers, offset);
        foreach (var b in buffers) offset += b.Length;
        buffers.Clear();
    }

    private void Commit(StreamState s, List<PendingAppend> group, (Segment Segment, long Offset)[] placements,
        List<(Segment Segment, long StartLength, bool Created)> touched, long nowMs)
    {
        TaskCompletionSource signal;
        lock (_gate)
        {
            foreach (var (segment, _, created) in touched)
            {
                if (created) s.Segments.Add(segment);
            }

            long bytes = 0;
            for (var i = 0; i < group.Count; i++)
            {
                var p = group[i];
                var (segment, offset) = placements[i];
                segment.AddRecord(p.Seq, offset, p.Payload.Length, nowMs);
                segment.Length = offset + p.Size;
                bytes += p.Size;
            }

            _usedBytes += bytes;
            _pendingBytes -= bytes;
            s.LastSeq = group[^1].Seq;
            signal = s.Appended;
            s.Appended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        signal.TrySetResult();
        foreach (var p in group) p.Completion.TrySetResult(p.Result);
    }

    // Puts the files back as they were before the failed group: earlier records are never touched.
    private void Undo(StreamState s, List<(Segment Segment, long StartLength, bool Created)> touched)
    {
        foreach (var (segment, start, created) in touched)
        {
            try
            {
                if (created)
                {
                    segment.Dispose();
                    File.Delete(segment.Path);
                }
                else
                {
                    RandomAccess.SetLength(segment.File.SafeFileHandle, start);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The next write lands at the same offset and overwrites the partial bytes; recovery
                // would cut whatever is left past the last record.
                LogUndoFailed(_logger, s.Name, segment.FileName, start, e.Message);
            }
        }
    }

    private void FailUnfinished(List<PendingAppend> batch, Exception e)
    {
        lock (_gate)
        {
            foreach (var s in _streams)
            {
                s.Epoch++;
                s.AcceptedSeq = s.LastSeq;
            }
        }

        Fail(batch.FindAll(p => !p.Completion.Task.IsCompleted), p => new BufferWriteException(p.Stream.Name, p.Seq, false,
            $"{p.Stream.Name} record {p.Seq} was not stored: {e.Message}", e));
    }

    private void Fail(List<PendingAppend> items, Func<PendingAppend, Exception> error)
    {
        lock (_gate)
        {
            foreach (var p in items) _pendingBytes -= p.Size;
        }

        foreach (var p in items) p.Completion.TrySetException(error(p));
    }
}
