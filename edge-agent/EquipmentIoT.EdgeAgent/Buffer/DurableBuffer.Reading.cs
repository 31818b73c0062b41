using EquipmentIoT.Protocols.Telemetry.Commands;
using Microsoft.Win32.SafeHandles;

namespace EquipmentIoT.EdgeAgent.Buffer;

public sealed partial class DurableBuffer
{
    /// <summary>
    /// The next record after the stream's send cursor, in seq order, waiting until one is appended; the
    /// cursor moves past it. Records acknowledged out of order are skipped. A record that fails its
    /// checksum on the way is skipped, logged and counted (the cloud sees the gap and can ask for a resend).
    /// </summary>
    /// <exception cref="ObjectDisposedException">The buffer was disposed.</exception>
    /// <exception cref="IOException">The file could not be read; the cursor stays on the record.</exception>
    public ValueTask<BufferedRecord> ReadNextUnsentAsync(string stream, CancellationToken cancellationToken)
    {
        var s = Stream(stream);
        Task appended;
        lock (_gate) appended = s.Appended.Task;
        // The signal is taken before looking, so a commit in between cannot be missed.
        return TryReadNextUnsent(stream, out var record)
            ? ValueTask.FromResult(record)
            : WaitAndReadAsync(s, appended, cancellationToken);
    }

    /// <summary>Like <see cref="ReadNextUnsentAsync"/> without waiting: false when nothing is unsent.</summary>
    public bool TryReadNextUnsent(string stream, out BufferedRecord record)
    {
        var s = Stream(stream);
        while (true)
        {
            IndexEntry entry;
            SafeFileHandle handle;
            lock (_gate)
            {
                ThrowIfDisposed();
                if (!TryFindUnsentLocked(s, out var segment, out var index))
                {
                    record = default;
                    return false;
                }

                entry = segment.Index[index];
                handle = segment.AcquireHandle();
                s.CursorNext = entry.Seq + 1;
            }

            try
            {
                if (TryReadRecord(handle, entry, s.Name, out record)) return true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                lock (_gate)
                {
                    if (s.CursorNext == entry.Seq + 1) s.CursorNext = entry.Seq;
                }

                throw;
            }
            finally
            {
                handle.DangerousRelease();
            }

            Interlocked.Increment(ref _corruptOnRead);
            LogCorruptOnRead(_logger, s.Name, entry.Seq);
        }
    }

    /// <summary>
    /// Records that <paramref name="seq"/> reached the cloud. Acknowledgements may come out of order;
    /// the watermark advances over the contiguous acknowledged prefix (and over seqs no longer on disk).
    /// Written to the ack file lazily.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="seq"/> was never stored.</exception>
    public void Acknowledge(string stream, long seq)
    {
        var s = Stream(stream);
        lock (_gate)
        {
            if (seq <= s.Watermark) return;
            ArgumentOutOfRangeException.ThrowIfGreaterThan(seq, s.LastSeq);
            s.AckedAbove.Add(seq);
            s.AdvanceWatermark();
        }
    }

    /// <summary>Moves the send cursor back to the first unacknowledged record (after a reconnect without session or a failed publish).</summary>
    public void RewindToUnacknowledged(string stream)
    {
        var s = Stream(stream);
        lock (_gate) s.CursorNext = s.Watermark + 1;
    }

    /// <summary>
    /// The records of [<paramref name="from"/>, <paramref name="to"/>] still on disk (acknowledged or not)
    /// and the sub-ranges that are not. Stops at <see cref="BufferOptions.MaxRangeReadBytes"/> of payload
    /// and says where to continue. Does not move the send cursor.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="from"/> &lt; 1 or <paramref name="to"/> &lt; <paramref name="from"/>.</exception>
    public ValueTask<RangeReadResult> ReadRangeAsync(string stream, long from, long to, CancellationToken cancellationToken)
    {
        var s = Stream(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(from, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(to, from);
        var plan = new List<(SafeFileHandle Handle, IndexEntry Entry)>();
        var gaps = new List<SeqRange>();
        long? continueFrom = null;
        lock (_gate)
        {
            ThrowIfDisposed();
            var expected = from;
            long bytes = 0;
            if (s.TryLocate(from, out var segment, out var index))
            {
                for (var si = s.Segments.IndexOf(segment); si < s.Segments.Count && continueFrom is null; si++, index = 0)
                {
                    var index2 = s.Segments[si].Index;
                    for (; index < index2.Count; index++)
                    {
                        var e = index2[index];
                        if (e.Seq > to) break;
                        if (bytes + e.Length > _options.MaxRangeReadBytes)
                        {
                            continueFrom = e.Seq;
                            break;
                        }

                        StreamState.AddGap(gaps, expected, e.Seq - 1);
                        plan.Add((s.Segments[si].AcquireHandle(), e));
                        bytes += e.Length;
                        expected = e.Seq + 1;
                    }

                    if (index < index2.Count) break;
                }
            }

            if (continueFrom is null) StreamState.AddGap(gaps, expected, to);
        }

        var records = new List<BufferedRecord>(plan.Count);
        var corrupt = new List<long>();
        try
        {
            foreach (var (handle, entry) in plan)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (TryReadRecord(handle, entry, s.Name, out var record)) records.Add(record);
                else corrupt.Add(entry.Seq);
            }
        }
        finally
        {
            foreach (var (handle, _) in plan) handle.DangerousRelease();
        }

        if (corrupt.Count > 0)
        {
            Interlocked.Add(ref _corruptOnRead, corrupt.Count);
            foreach (var seq in corrupt) LogCorruptOnRead(_logger, s.Name, seq);
            gaps = MergeGaps(gaps, corrupt);
        }

        return ValueTask.FromResult(new RangeReadResult(records, gaps, continueFrom));
    }

    private async ValueTask<BufferedRecord> WaitAndReadAsync(StreamState s, Task appended, CancellationToken cancellationToken)
    {
        while (true)
        {
            await appended.WaitAsync(cancellationToken).ConfigureAwait(false);
            lock (_gate) appended = s.Appended.Task;
            if (TryReadNextUnsent(s.Name, out var record)) return record;
        }
    }

    // Under the lock: the first record at or after the cursor that is not already acknowledged.
    private static bool TryFindUnsentLocked(StreamState s, out Segment segment, out int index)
    {
        while (s.TryLocate(s.CursorNext, out segment, out index))
        {
            if (index == segment.Index.Count)
            {
                // Only when the cursor sits past a segment's last record and a later segment starts higher.
                s.CursorNext = segment.Index.LastSeq + 1;
                continue;
            }

            var seq = segment.Index[index].Seq;
            if (seq > s.Watermark && !s.AckedAbove.Contains(seq)) return true;
            s.CursorNext = seq + 1;
        }

        return false;
    }

    // Reads and checks one record; false when it no longer matches its index entry or checksum.
    private static bool TryReadRecord(SafeFileHandle handle, in IndexEntry entry, string stream, out BufferedRecord record)
    {
        record = default;
        Span<byte> header = stackalloc byte[RecordFormat.HeaderSize];
        if (!ReadExactly(handle, header, entry.Offset)) return false;
        var payload = new byte[entry.Length];
        if (!ReadExactly(handle, payload, entry.Offset + RecordFormat.HeaderSize)) return false;
        if (RecordFormat.TryReadHeader(header, out var h) != HeaderProblem.None || h.Seq != entry.Seq || h.Length != entry.Length
            || !RecordFormat.CrcMatches(header, payload))
        {
            return false;
        }

        var ms = Math.Clamp(h.AppendedAtMs, DateTimeOffset.MinValue.ToUnixTimeMilliseconds(), DateTimeOffset.MaxValue.ToUnixTimeMilliseconds());
        record = new BufferedRecord(stream, h.Seq, payload, DateTimeOffset.FromUnixTimeMilliseconds(ms));
        return true;
    }

    private static bool ReadExactly(SafeFileHandle handle, Span<byte> into, long offset)
    {
        while (!into.IsEmpty)
        {
            var read = RandomAccess.Read(handle, into, offset);
            if (read == 0) return false;
            into = into[read..];
            offset += read;
        }

        return true;
    }

    private static List<SeqRange> MergeGaps(List<SeqRange> gaps, List<long> seqs)
    {
        var all = gaps.Concat(seqs.Select(x => new SeqRange(x, x))).OrderBy(r => r.From).ToList();
        var merged = new List<SeqRange>(all.Count);
        foreach (var r in all) StreamState.AddGap(merged, r.From, r.To);
        return merged;
    }
}
