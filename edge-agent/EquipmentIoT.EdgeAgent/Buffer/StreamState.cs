using EquipmentIoT.Protocols.Telemetry.Commands;

namespace EquipmentIoT.EdgeAgent.Buffer;

/// <summary>Everything the buffer knows about one stream. Guarded by the buffer's lock.</summary>
internal sealed class StreamState
{
    public StreamState(string name, string directory)
    {
        Name = name;
        Class = BufferStreams.ClassOf(name);
        Directory = directory;
    }

    public string Name { get; }

    public BufferStreamClass Class { get; }

    public string Directory { get; }

    public string AckPath => Path.Combine(Directory, AckFile.FileName);

    /// <summary>Oldest first; every segment holds at least one indexed record.</summary>
    public List<Segment> Segments { get; } = [];

    public Segment? Newest => Segments.Count == 0 ? null : Segments[^1];

    /// <summary>Seq of the newest record on disk (or of the ack watermark when that is higher).</summary>
    public long LastSeq { get; set; }

    /// <summary>Seq of the newest record accepted into the write queue (≥ <see cref="LastSeq"/>).</summary>
    public long AcceptedSeq { get; set; }

    /// <summary>Bumped on every failed write: records queued under an older epoch are failed rather than written out of order.</summary>
    public long Epoch { get; set; }

    public long Watermark { get; set; }

    public HashSet<long> AckedAbove { get; } = [];

    public bool AckDirty { get; set; }

    /// <summary>The next seq ReadNextUnsent hands out (or the first one after it still on disk).</summary>
    public long CursorNext { get; set; }

    /// <summary>Completed (and replaced) whenever records are committed; faulted on dispose.</summary>
    public TaskCompletionSource Appended { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public long UsedBytes => Segments.Sum(s => s.Length);

    /// <summary>Finds the first record with a seq ≥ <paramref name="seq"/>.</summary>
    public bool TryLocate(long seq, out Segment segment, out int index)
    {
        int lo = 0, hi = Segments.Count;
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (Segments[mid].Index.LastSeq < seq) lo = mid + 1;
            else hi = mid;
        }

        if (lo == Segments.Count)
        {
            segment = null!;
            index = -1;
            return false;
        }

        segment = Segments[lo];
        index = segment.Index.FindFirstAtOrAfter(seq);
        return true;
    }

    /// <summary>Advances the watermark over acknowledged seqs and over seqs no longer on disk.</summary>
    public void AdvanceWatermark()
    {
        var start = Watermark;
        while (Watermark < LastSeq)
        {
            var next = Watermark + 1;
            if (AckedAbove.Remove(next))
            {
                Watermark = next;
                continue;
            }

            // A gap (lost in recovery, or never on disk): nobody can acknowledge it, so step over it.
            if (!TryLocate(next, out var segment, out var index)) break;
            var found = segment.Index[index].Seq;
            if (found == next) break;
            Watermark = found - 1;
        }

        if (Watermark != start) AckDirty = true;
    }

    /// <summary>The seq ranges in [from, to] with no record on disk.</summary>
    public static void AddGap(List<SeqRange> gaps, long from, long to)
    {
        if (from > to) return;
        if (gaps.Count > 0 && gaps[^1].To + 1 >= from)
        {
            gaps[^1] = gaps[^1] with { To = Math.Max(gaps[^1].To, to) };
            return;
        }

        gaps.Add(new SeqRange(from, to));
    }
}
