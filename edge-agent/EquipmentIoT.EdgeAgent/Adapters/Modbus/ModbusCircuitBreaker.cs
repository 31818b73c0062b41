namespace EquipmentIoT.EdgeAgent.Adapters.Modbus;

/// <summary>The breaker's state.</summary>
public enum ModbusBreakerState
{
    /// <summary>Polling normally.</summary>
    Closed,
    /// <summary>The device failed repeatedly: no requests until the open delay passes.</summary>
    Open,
    /// <summary>The delay passed: one probe poll decides whether to close or open again (for longer).</summary>
    HalfOpen,
}

/// <summary>
/// Keeps a dead or very slow slave from taking the bus from the others: after <c>failures</c> consecutive
/// failed polls it opens; after the open delay one probe is let through; a failed probe doubles the delay up
/// to the cap, a good one closes it.
/// </summary>
public sealed class ModbusCircuitBreaker
{
    private readonly int _threshold;
    private readonly TimeSpan _firstDelay;
    private readonly TimeSpan _maxDelay;
    private readonly TimeProvider _time;
    private int _failures;
    private TimeSpan _delay;
    private long _openedAt;

    /// <summary>Creates a closed breaker.</summary>
    public ModbusCircuitBreaker(int failures, TimeSpan openDelay, TimeSpan maxOpenDelay, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failures, 1);
        ArgumentNullException.ThrowIfNull(time);
        _threshold = failures;
        _firstDelay = openDelay;
        _maxDelay = maxOpenDelay < openDelay ? openDelay : maxOpenDelay;
        _delay = openDelay;
        _time = time;
    }

    /// <summary>The current state.</summary>
    public ModbusBreakerState State { get; private set; } = ModbusBreakerState.Closed;

    /// <summary>The current open delay (grows while probes fail).</summary>
    public TimeSpan OpenDelay => _delay;

    /// <summary>Times the breaker opened.</summary>
    public long Opened { get; private set; }

    /// <summary>True when a poll may go to the device now (moves Open → HalfOpen when the delay has passed).</summary>
    public bool TryEnter()
    {
        if (State != ModbusBreakerState.Open) return true;
        if (_time.GetElapsedTime(_openedAt) < _delay) return false;
        State = ModbusBreakerState.HalfOpen;
        return true;
    }

    /// <summary>The device answered.</summary>
    public void Success()
    {
        State = ModbusBreakerState.Closed;
        _failures = 0;
        _delay = _firstDelay;
    }

    /// <summary>The device did not answer (timeout or I/O error after retries).</summary>
    public void Failure()
    {
        _failures++;
        if (State == ModbusBreakerState.HalfOpen)
        {
            _delay = _delay * 2 > _maxDelay ? _maxDelay : _delay * 2;
            Open();
        }
        else if (State == ModbusBreakerState.Closed && _failures >= _threshold)
        {
            Open();
        }
    }

    private void Open()
    {
        State = ModbusBreakerState.Open;
        _openedAt = _time.GetTimestamp();
        Opened++;
    }
}
