namespace EquipmentIoT.Cloud.Storage.Sqlite;

/// <summary>Where a part of a query's range is read from.</summary>
internal enum SeriesTier
{
    Raw,
    Minute,
    Hour,
}

/// <summary>A part [From, To) of a query's range (Unix milliseconds) and the tier that answers it.</summary>
internal readonly record struct SeriesSegment(SeriesTier Tier, long From, long To);

/// <summary>
/// Splits an aggregated query into the coarsest tiers that answer it exactly. A rollup tier is usable only when
/// the step is a whole multiple of its bucket (1 h or 1 min), so that no rollup bucket straddles two steps; and
/// only for its whole buckets inside [from, to), so that the edges of an unaligned range are read from the
/// finer tier (ultimately raw chunks) rather than counting points outside the range. Pure.
/// </summary>
internal static class SeriesQueryPlan
{
    public const long Minute = 60_000;
    public const long Hour = 3_600_000;

    public static List<SeriesSegment> Plan(long from, long to, long? step)
    {
        if (step is <= 0) throw new ArgumentOutOfRangeException(nameof(step), step, "a step must be positive");
        SeriesTier[] tiers = step switch
        {
            { } s when s % Hour == 0 => [SeriesTier.Hour, SeriesTier.Minute],
            { } s when s % Minute == 0 => [SeriesTier.Minute],
            _ => [],
        };
        var segments = new List<SeriesSegment>();
        Split(from, to, tiers, 0, segments);
        return segments;
    }

    public static long BucketSize(SeriesTier tier) => tier == SeriesTier.Hour ? Hour : Minute;

    private static void Split(long from, long to, SeriesTier[] tiers, int index, List<SeriesSegment> output)
    {
        if (from >= to) return;
        if (index == tiers.Length)
        {
            output.Add(new SeriesSegment(SeriesTier.Raw, from, to));
            return;
        }
        var size = BucketSize(tiers[index]);
        var first = UnixMillis.CeilingTo(from, size);
        var end = UnixMillis.FloorTo(to, size);
        if (first >= end)
        {
            Split(from, to, tiers, index + 1, output);
            return;
        }
        Split(from, first, tiers, index + 1, output);
        output.Add(new SeriesSegment(tiers[index], first, end));
        Split(end, to, tiers, index + 1, output);
    }
}
