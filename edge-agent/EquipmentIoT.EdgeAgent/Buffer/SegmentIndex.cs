namespace EquipmentIoT.EdgeAgent.Buffer;

/// <summary>Where one record sits: 24 bytes in memory per record (append time to the second, relative to its segment).</summary>
internal readonly record struct IndexEntry(long Seq, long Offset, int Length, int AppendedDeltaSeconds);

/// <summary>The records of one segment in seq order (strictly increasing, gaps allowed after recovery).</summary>
internal sealed class SegmentIndex
{
    private IndexEntry[] _entries = new IndexEntry[16];

    public int Count { get; private set; }

    public ref readonly IndexEntry this[int i]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)i, (uint)Count, nameof(i));
            return ref _entries[i];
        }
    }

    public long FirstSeq => Count == 0 ? 0 : _entries[0].Seq;

    public long LastSeq => Count == 0 ? 0 : _entries[Count - 1].Seq;

    public void Add(in IndexEntry entry)
    {
        if (Count > 0 && entry.Seq <= _entries[Count - 1].Seq)
            throw new InvalidOperationException($"index seq {entry.Seq} does not follow {_entries[Count - 1].Seq}");
        if (Count == _entries.Length) Array.Resize(ref _entries, _entries.Length * 2);
        _entries[Count++] = entry;
    }

    /// <summary>Index of the first entry with a seq ≥ <paramref name="seq"/>, or <see cref="Count"/> when none.</summary>
    public int FindFirstAtOrAfter(long seq)
    {
        if (Count == 0 || seq <= _entries[0].Seq) return 0;
        // Seqs are nearly always contiguous within a segment: try the direct position first.
        var guess = seq - _entries[0].Seq;
        if (guess < Count && _entries[guess].Seq == seq) return (int)guess;
        int lo = 0, hi = Count;
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (_entries[mid].Seq < seq) lo = mid + 1;
            else hi = mid;
        }

        return lo;
    }
}
