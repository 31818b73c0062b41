using System.Runtime.Versioning;
using NodaTime;

namespace EquipmentIoT.EdgeAgent.Tests.Collection;

/// <summary>
/// A clock whose timers fire only when the test moves it (<see cref="Advance"/>): Task.Delay, PeriodicTimer
/// and every other timer made through this provider. Unlike Buffer/ManualTimeProvider, whose timers stay
/// real, this one lets a test walk through a 10 s retry or a 1 min backoff instantly and exactly.
/// <see cref="DueTimes"/> tells a test that the code under test is now waiting on a timer, so it can
/// advance without racing it.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class FakeTimeProvider : TimeProvider
{
    private readonly Lock _lock = new();
    private readonly List<FakeTimer> _timers = [];
    private DateTimeOffset _now;

    public FakeTimeProvider(DateTimeOffset? start = null) => _now = start ?? DefaultStart;

    public static DateTimeOffset DefaultStart { get; } = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    /// <summary>A NodaTime clock reading this provider, for the parts that take an <see cref="IClock"/>.</summary>
    public IClock Clock => new TimeProviderClock(this);

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock) return _now;
    }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => GetUtcNow().UtcTicks;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <summary>When each armed timer fires next, earliest first.</summary>
    public IReadOnlyList<DateTimeOffset> DueTimes
    {
        get
        {
            lock (_lock) return [.. _timers.Where(t => t.Due is not null).Select(t => t.Due!.Value).Order()];
        }
    }

    /// <summary>How many timers are armed to fire exactly <paramref name="after"/> from now.</summary>
    public int TimersDueIn(TimeSpan after)
    {
        lock (_lock) return _timers.Count(t => t.Due == _now + after);
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new FakeTimer(this, callback, state);
        lock (_lock) _timers.Add(timer);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves the clock forward, firing every timer that falls due on the way, in time order, at its due time.</summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        DateTimeOffset end;
        lock (_lock) end = _now + by;
        while (true)
        {
            FakeTimer? next;
            lock (_lock)
            {
                next = _timers.Where(t => t.Due is { } due && due <= end).MinBy(t => t.Due);
                if (next is null)
                {
                    _now = end;
                    return;
                }

                _now = next.Due!.Value;
                next.Due = next.Period is { } period ? _now + period : null;
            }

            // Outside the lock: the callback may create or change timers (a Task.Delay continuation, a PeriodicTimer).
            next.Fire();
        }
    }

    private void Remove(FakeTimer timer)
    {
        lock (_lock) _timers.Remove(timer);
    }

    private void Arm(FakeTimer timer, TimeSpan dueTime, TimeSpan period)
    {
        lock (_lock)
        {
            timer.Due = dueTime == Timeout.InfiniteTimeSpan ? null : _now + dueTime;
            timer.Period = period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero ? null : period;
        }
    }

    private sealed class FakeTimer(FakeTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset? Due { get; set; }

        public TimeSpan? Period { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            owner.Arm(this, dueTime, period);
            // A zero due time fires at once, as a real timer would (soon).
            if (dueTime == TimeSpan.Zero) owner.Advance(TimeSpan.Zero);
            return true;
        }

        public void Fire() => callback(state);

        public void Dispose() => owner.Remove(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
