using EquipmentIoT.Cloud.Common;

namespace EquipmentIoT.Cloud.Notifications.Dispatch;

/// <summary>
/// When to try a message again after a transient failure: exponential backoff from <see cref="InitialDelay"/>,
/// doubled per attempt up to <see cref="MaxDelay"/>, with jitter (a uniformly random delay between half the step
/// and the step, so that messages failed by one outage do not come back in lock step), for at most
/// <see cref="MaxAttempts"/> attempts in all. The only retry policy of the notifications.
/// </summary>
public sealed class NotificationRetryPolicy
{
    private readonly JitteredBackoff _backoff;

    /// <summary>Creates a policy; pass a seeded <paramref name="random"/> for reproducible tests.</summary>
    public NotificationRetryPolicy(TimeSpan initialDelay, TimeSpan maxDelay, int maxAttempts, Random? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        _backoff = new JitteredBackoff(initialDelay, maxDelay, random);
        MaxAttempts = maxAttempts;
    }

    /// <summary>The policy of the options' Retry* settings.</summary>
    public static NotificationRetryPolicy From(NotificationOptions options, Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new(options.RetryInitialDelay, options.RetryMaxDelay, options.MaxAttempts, random);
    }

    /// <summary>Delay step before the first retry.</summary>
    public TimeSpan InitialDelay => _backoff.InitialDelay;

    /// <summary>Cap on the delay step.</summary>
    public TimeSpan MaxDelay => _backoff.MaxDelay;

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
        delay = _backoff.Delay(attempts);
        return true;
    }
}
