namespace EquipmentIoT.Cloud.Common;

/// <summary>
/// Exponential backoff with jitter, the one used by every retry policy of the cloud (notifications, InfluxDB, PostgreSQL):
/// the step starts at the initial delay and doubles per retry up to a cap, and the delay is uniformly random between half
/// the step and the step, so that callers failed by one outage do not come back in lock step. Thread-safe.
/// </summary>
public sealed class JitteredBackoff
{
    private readonly Random _random;
    private readonly Lock _lock = new();

    /// <summary>Creates a backoff; pass a seeded <paramref name="random"/> for reproducible tests.</summary>
    public JitteredBackoff(TimeSpan initialDelay, TimeSpan maxDelay, Random? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(initialDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDelay, initialDelay);
        InitialDelay = initialDelay;
        MaxDelay = maxDelay;
        _random = random ?? new Random();
    }

    /// <summary>Delay step before the first retry.</summary>
    public TimeSpan InitialDelay { get; }

    /// <summary>Cap on the delay step.</summary>
    public TimeSpan MaxDelay { get; }

    /// <summary>The delay before retry number <paramref name="retry"/> (1 for the first).</summary>
    public TimeSpan Delay(int retry)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retry, 1);
        var exponent = Math.Min(retry - 1, 40); // 2^40 steps exceed any cap; keeps the double finite
        var step = Math.Min(MaxDelay.TotalMilliseconds, InitialDelay.TotalMilliseconds * Math.Pow(2, exponent));
        double factor;
        lock (_lock) factor = 0.5 + (_random.NextDouble() * 0.5);
        return TimeSpan.FromMilliseconds(step * factor);
    }
}
