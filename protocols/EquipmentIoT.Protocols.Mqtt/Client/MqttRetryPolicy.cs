namespace EquipmentIoT.Protocols.Mqtt.Client;

/// <summary>
/// When and how long to wait before trying to connect again: exponential backoff from
/// <see cref="InitialDelay"/>, doubled per attempt up to <see cref="MaxDelay"/>, with "full jitter"
/// (a uniformly random delay between half the step and the step) so that a fleet of agents coming
/// back after a broker outage does not reconnect in lock step. <see cref="MqttCommunicationException.IsTransient"/>
/// is the only retry signal.
/// </summary>
public sealed class MqttRetryPolicy
{
    private readonly Random _random;
    private readonly object _lock = new();

    /// <summary>Creates a policy; pass a seeded <paramref name="random"/> for reproducible tests.</summary>
    public MqttRetryPolicy(TimeSpan initialDelay, TimeSpan maxDelay, int maxAttempts, Random? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(initialDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDelay, initialDelay);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        InitialDelay = initialDelay;
        MaxDelay = maxDelay;
        MaxAttempts = maxAttempts;
        _random = random ?? new Random();
    }

    /// <summary>
    /// The default for an unattended agent: 0.5 s doubling to a 60 s cap, for up to 100,000 attempts
    /// (about two months of broker outage at the cap) — finite, but longer than any outage we plan for.
    /// </summary>
    public static MqttRetryPolicy Default => new(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(60), 100_000);

    /// <summary>Delay before the first retry.</summary>
    public TimeSpan InitialDelay { get; }

    /// <summary>Cap on the delay.</summary>
    public TimeSpan MaxDelay { get; }

    /// <summary>Attempts after which the client gives up.</summary>
    public int MaxAttempts { get; }

    /// <summary>
    /// Decides about retry number <paramref name="attempt"/> (1 for the first retry) after
    /// <paramref name="exception"/>. Non-transient errors (bad credentials, an untrusted certificate)
    /// are retried too but never faster than the cap allows: a broker operator may fix them.
    /// </summary>
    public bool ShouldRetry(int attempt, Exception exception, out TimeSpan delay)
    {
        ArgumentNullException.ThrowIfNull(exception);
        delay = TimeSpan.Zero;
        if (attempt > MaxAttempts) return false;
        var transient = exception is not MqttCommunicationException { IsTransient: false };
        var exponent = Math.Min(attempt - 1, 30);
        var step = transient
            ? Math.Min(MaxDelay.TotalMilliseconds, InitialDelay.TotalMilliseconds * Math.Pow(2, exponent))
            : MaxDelay.TotalMilliseconds;
        double factor;
        lock (_lock) factor = 0.5 + (_random.NextDouble() * 0.5);
        delay = TimeSpan.FromMilliseconds(step * factor);
        return true;
    }
}
