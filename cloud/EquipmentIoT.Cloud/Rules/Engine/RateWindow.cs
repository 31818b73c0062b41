using NodaTime;

namespace EquipmentIoT.Cloud.Rules.Engine;

/// <summary>
/// The least-squares slope of (time, value) over a sliding window, kept as sums per bucket (the window in 60 buckets)
/// rather than every point: a 6 h window of 1 s readings is 21,600 points but 60 small records, which is what a snapshot
/// stores. The slope is exact over the points of the buckets in the window; the window's edge moves a bucket at a time.
/// </summary>
internal sealed class RateWindow
{
    public const int BucketsPerWindow = 60;

    private readonly long _bucketTicks;
    private readonly long _windowTicks;
    private readonly List<RateBucket> _buckets = [];

    public RateWindow(Duration window)
    {
        _windowTicks = window.BclCompatibleTicks;
        _bucketTicks = Math.Max(TimeSpan.TicksPerSecond, _windowTicks / BucketsPerWindow);
    }

    public IReadOnlyList<RateBucket> Buckets => _buckets;

    public void Restore(IEnumerable<RateBucket> buckets)
    {
        _buckets.Clear();
        _buckets.AddRange(buckets.OrderBy(b => b.Index));
    }

    public void Add(Instant at, double value)
    {
        var ticks = at.ToUnixTimeTicks();
        var index = Math.DivRem(ticks, _bucketTicks, out var offsetTicks);
        if (offsetTicks < 0)
        {
            index--;
            offsetTicks += _bucketTicks;
        }

        var offset = (double)offsetTicks / TimeSpan.TicksPerSecond;
        var i = _buckets.FindIndex(b => b.Index == index);
        if (i < 0)
        {
            i = _buckets.FindIndex(b => b.Index > index);
            if (i < 0) i = _buckets.Count;
            _buckets.Insert(i, new RateBucket(index, 0, 0, 0, 0, 0, offset, offset));
        }

        var b = _buckets[i];
        _buckets[i] = b with
        {
            Count = b.Count + 1, SumT = b.SumT + offset, SumV = b.SumV + value, SumTT = b.SumTT + offset * offset,
            SumTV = b.SumTV + offset * value, MinT = Math.Min(b.MinT, offset), MaxT = Math.Max(b.MaxT, offset),
        };
    }

    /// <summary>
    /// The slope in value units per second over the buckets that start within the window before <paramref name="at"/>,
    /// or null when there are fewer than <paramref name="minSamples"/> points or they span less than half the window.
    /// </summary>
    public double? SlopePerSecond(Instant at, int minSamples)
    {
        var first = (at.ToUnixTimeTicks() - _windowTicks) / _bucketTicks + 1;
        _buckets.RemoveAll(b => b.Index < first);
        if (_buckets.Count == 0) return null;
        var reference = _buckets[0].Index;
        double n = 0, st = 0, sv = 0, stt = 0, stv = 0;
        foreach (var b in _buckets)
        {
            // Shift each bucket's offsets to the first bucket's start: Σ(t+d) = St + n·d, Σ(t+d)² = Stt + 2d·St + n·d², Σ(t+d)v = Stv + d·Sv.
            var d = (double)(b.Index - reference) * _bucketTicks / TimeSpan.TicksPerSecond;
            n += b.Count;
            st += b.SumT + b.Count * d;
            sv += b.SumV;
            stt += b.SumTT + 2 * d * b.SumT + b.Count * d * d;
            stv += b.SumTV + d * b.SumV;
        }

        var span = (double)(_buckets[^1].Index - reference) * _bucketTicks / TimeSpan.TicksPerSecond + _buckets[^1].MaxT - _buckets[0].MinT;
        if (n < minSamples || span * 2 * TimeSpan.TicksPerSecond < _windowTicks) return null;
        var sxx = stt - st * st / n;
        if (sxx <= 0) return null;
        return (stv - st * sv / n) / sxx;
    }
}

/// <summary>Sums of one bucket: offsets are seconds from the bucket's start.</summary>
public sealed record RateBucket(long Index, long Count, double SumT, double SumV, double SumTT, double SumTV, double MinT, double MaxT);
