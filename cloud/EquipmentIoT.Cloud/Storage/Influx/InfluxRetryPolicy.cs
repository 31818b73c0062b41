namespace EquipmentIoT.Cloud.Storage.Influx;

/// <summary>
/// When to repeat an InfluxDB request after a transient failure: exponential backoff from the initial delay,
/// doubled per retry up to a cap, with jitter (a uniformly random delay between half the step and the step, so
/// that writers failed by one outage do not return in lock step), for a finite number of retries.
/// </summary>
public sealed class InfluxRetryPolicy
{
    private readonly Random _random;
    private readonly Lock _lock = new();

    /// <summary>Creates a policy; pass a seeded <paramref name="random"/> for reproducible tests.</summary>
    public InfluxRetryPolicy(TimeSpan initialDelay, TimeSpan maxDelay, int retries, Random? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(initialDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDelay, initialDelay);
        ArgumentOutOfRangeException.ThrowIfNegative(retries);
        InitialDelay = initialDelay;
        MaxDelay = maxDelay;
        Retries = retries;
        _random = random ?? new Random();
    }

    /// <summary>The policy of the options' Retry* settings.</summary>
    public static InfluxRetryPolicy From(InfluxOptions options, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(options.RetryInitialDelay, options.RetryMaxDelay, options.Retries, random);
    }

    public TimeSpan InitialDelay { get; }

    public TimeSpan MaxDelay { get; }

    /// <summary>Retries after the first attempt.</summary>
    public int Retries { get; }

    /// <summary>After failed attempt number <paramref name="attempt"/> (1 for the first): true with the delay before the next, or false.</summary>
    public bool ShouldRetry(int attempt, out TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        delay = TimeSpan.Zero;
        if (attempt > Retries) return false;
        var exponent = Math.Min(attempt - 1, 40);
        var step = Math.Min(MaxDelay.TotalMilliseconds, InitialDelay.TotalMilliseconds * Math.Pow(2, exponent));
        double factor;
        lock (_lock) factor = 0.5 + (_random.NextDouble() * 0.5);
        delay = TimeSpan.FromMilliseconds(step * factor);
        return true;
    }
}
