namespace EquipmentIoT.Cloud.Rules.Engine;

/// <summary>
/// The batch seqs missing on one stream, as disjoint closed ranges in order. The ledger opens a gap with one
/// <c>integrity.gap</c> event but fills it a batch at a time (only the last batch raises <c>gap_filled</c>), so
/// arriving batches are removed one by one to keep the count exact.
/// </summary>
internal sealed class SeqIntervals
{
    // Bounded: a flood of single-seq gaps must not grow the engine's memory without limit.
    public const int MaxRanges = 4096;

    private readonly List<(long From, long To)> _ranges = [];

    public IReadOnlyList<(long From, long To)> Ranges => _ranges;

    /// <summary>Batches missing in all ranges.</summary>
    public long Missing => _ranges.Sum(r => r.To - r.From + 1);

    public void Add(long from, long to)
    {
        if (to < from) return;
        Remove(from, to);
        var i = 0;
        while (i < _ranges.Count && _ranges[i].From < from) i++;
        _ranges.Insert(i, (from, to));
        // Merge with touching neighbours.
        if (i + 1 < _ranges.Count && _ranges[i + 1].From == to + 1)
        {
            _ranges[i] = (from, _ranges[i + 1].To);
            _ranges.RemoveAt(i + 1);
        }

        if (i > 0 && _ranges[i - 1].To + 1 == _ranges[i].From)
        {
            _ranges[i - 1] = (_ranges[i - 1].From, _ranges[i].To);
            _ranges.RemoveAt(i);
        }

        if (_ranges.Count > MaxRanges) _ranges.RemoveAt(0);
    }

    public void Remove(long from, long to)
    {
        for (var i = _ranges.Count - 1; i >= 0; i--)
        {
            var (f, t) = _ranges[i];
            if (t < from || f > to) continue;
            _ranges.RemoveAt(i);
            if (t > to) _ranges.Insert(i, (to + 1, t));
            if (f < from) _ranges.Insert(i, (f, from - 1));
        }
    }
}
