using NodaTime;

namespace EquipmentIoT.Cloud.Usage;

/// <summary>Interval arithmetic for usage: merging, clipping and measuring overlap.</summary>
internal static class DayIntervals
{
    /// <summary>Sorted, non-overlapping intervals covering the same instants as <paramref name="intervals"/>.</summary>
    public static List<Interval> Merge(IEnumerable<Interval> intervals)
    {
        var sorted = intervals.Where(i => i.Start < i.End).OrderBy(i => i.Start).ToList();
        var merged = new List<Interval>(sorted.Count);
        foreach (var i in sorted)
        {
            if (merged.Count > 0 && i.Start <= merged[^1].End)
            {
                if (i.End > merged[^1].End) merged[^1] = new Interval(merged[^1].Start, i.End);
            }
            else
            {
                merged.Add(i);
            }
        }
        return merged;
    }

    /// <summary>
    /// The time <paramref name="merged"/> (sorted, disjoint) covers inside [<paramref name="start"/>, <paramref name="end"/>).
    /// <paramref name="cursor"/> is the first interval that may still overlap; windows must be asked for in ascending order
    /// of start, so a range of days costs one pass over the intervals.
    /// </summary>
    public static Duration Overlap(List<Interval> merged, Instant start, Instant end, ref int cursor)
    {
        while (cursor < merged.Count && merged[cursor].End <= start) cursor++;
        var total = Duration.Zero;
        for (var i = cursor; i < merged.Count && merged[i].Start < end; i++)
        {
            var s = merged[i].Start > start ? merged[i].Start : start;
            var e = merged[i].End < end ? merged[i].End : end;
            if (e > s) total += e - s;
        }
        return total;
    }

    public static Instant Min(Instant a, Instant b) => a < b ? a : b;

    public static Instant Max(Instant a, Instant b) => a > b ? a : b;
}
