using EquipmentIoT.Cloud.Common;

namespace EquipmentIoT.Cloud.Storage.Influx;

/// <summary>
/// When to repeat an InfluxDB request after a transient failure: <see cref="JitteredBackoff"/> for a finite number of retries.
/// </summary>
public sealed class InfluxRetryPolicy
{
    private readonly JitteredBackoff _backoff;

    /// <summary>Creates a policy; pass a seeded <paramref name="random"/> for reproducible tests.</summary>
    public InfluxRetryPolicy(TimeSpan initialDelay, TimeSpan maxDelay, int retries, Random? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(retries);
        _backoff = new JitteredBackoff(initialDelay, maxDelay, random);
        Retries = retries;
    }

    /// <summary>The policy of the options' Retry* settings.</summary>
    public static InfluxRetryPolicy From(InfluxOptions options, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(options.RetryInitialDelay, options.RetryMaxDelay, options.Retries, random);
    }

    public TimeSpan InitialDelay => _backoff.InitialDelay;

    public TimeSpan MaxDelay => _backoff.MaxDelay;

    /// <summary>Retries after the first attempt.</summary>
    public int Retries { get; }

    /// <summary>After failed attempt number <paramref name="attempt"/> (1 for the first): true with the delay before the next, or false.</summary>
    public bool ShouldRetry(int attempt, out TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        delay = TimeSpan.Zero;
        if (attempt > Retries) return false;
        delay = _backoff.Delay(attempt);
        return true;
    }
}
