namespace EquipmentIoT.Cloud.Notifications.Dispatch;

/// <summary>
/// When to try a message again after a transient failure: exponential backoff from <see cref="InitialDelay"/>,
/// doubled per attempt up to <see cref="MaxDelay"/>, with jitter (a uniformly random delay between half the step
/// and the step, so that messages failed by one outage do not come back in lock step), for at most
/// <see cref="MaxAttempts"/> attempts in all. The only retry policy of the notifications.
/// </summary>
public sealed class NotificationRetryPolicy
{
    private readonly Random _random;
    private readonly Lock _lock = new();

    /// <summary>Creates a policy; pass a seeded <paramref name="random"/> for reproducible tests.</summary>
    public NotificationRetryPolicy(TimeSpan initialDelay, TimeSpan maxDelay, int maxAttempts, Random? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(initialDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDelay, initialDelay);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        InitialDelay = initialDelay;
        MaxDelay = maxDelay;
        MaxAttempts = maxAttempts;
        _random = random ?? new Random();
    }

    /// <summary>The policy of the options' Retry* settings.</summary>
    public static NotificationRetryPolicy From(NotificationOptions options, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(options.RetryInitialDelay, options.RetryMaxDelay, options.MaxAttempts, random);
    }

    /// <summary>Delay step before the first retry.</summary>
    public TimeSpan InitialDelay { get; }

    /// <summary>Cap on the delay step.</summary>
    public TimeSpan MaxDelay { get; }

    /// <summary>Attempts in all (the first included) after which a transient failure becomes permanent.</summary>
    public int MaxAttempts { get; }

    /// <summary>
    /// Decides after attempt number <paramref name="attempts"/> (1 after the first) failed transiently: true with the
    /// delay before the next, or false when the attempts are used up.
    /// </summary>
    public bool ShouldRetry(int attempts, out TimeSpan delay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempts, 1);
        delay = TimeSpan.Zero;
        if (attempts >= MaxAttempts) return false;
        var exponent = Math.Min(attempts - 1, 40); // 2^40 steps exceed any cap; keeps the double finite
        var step = Math.Min(MaxDelay.TotalMilliseconds, InitialDelay.TotalMilliseconds * Math.Pow(2, exponent));
        double factor;
        lock (_lock) factor = 0.5 + (_random.NextDouble() * 0.5);
        delay = TimeSpan.FromMilliseconds(step * factor);
        return true;
    }
}
