namespace EquipmentIoT.Cloud.Storage.Sqlite;

/// <summary>
/// Count, sum, min, max and last (by time) of a set of values: a rollup row, a query bucket, or the part of
/// one being gathered. Mergeable, so buckets combine from raw points, 1-minute and 1-hour rows alike.
/// </summary>
internal struct Rollup
{
    public long Count;
    public double Sum;
    public double Min;
    public double Max;
    public double Last;
    public long LastTime;

    public static Rollup Of(long count, double sum, double min, double max, double last, long lastTime) =>
        new() { Count = count, Sum = sum, Min = min, Max = max, Last = last, LastTime = lastTime };

    public void Add(long time, double value) => Merge(Of(1, value, value, value, value, time));

    public void Merge(in Rollup other)
    {
        if (other.Count == 0) return;
        if (Count == 0)
        {
            this = other;
            return;
        }
        Count += other.Count;
        Sum += other.Sum;
        if (other.Min < Min) Min = other.Min;
        if (other.Max > Max) Max = other.Max;
        if (other.LastTime >= LastTime)
        {
            Last = other.Last;
            LastTime = other.LastTime;
        }
    }

    public readonly double Value(SeriesAggregate aggregate) => aggregate switch
    {
        SeriesAggregate.Mean => Sum / Count,
        SeriesAggregate.Min => Min,
        SeriesAggregate.Max => Max,
        SeriesAggregate.Sum => Sum,
        SeriesAggregate.Count => Count,
        SeriesAggregate.Last => Last,
        _ => throw new ArgumentOutOfRangeException(nameof(aggregate), aggregate, "unknown aggregate"),
    };
}
