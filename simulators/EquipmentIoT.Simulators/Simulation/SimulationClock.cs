namespace EquipmentIoT.Simulators.Simulation;

/// <summary>
/// Simulated time: real time since start multiplied by a speed factor, so a demo can show a day of helium
/// loss in minutes. Wall-clock readings (MPPS start times, the magnet room's daily cycle) use <see cref="Now"/>.
/// </summary>
public sealed class SimulationClock
{
    private readonly TimeProvider _time;
    private readonly long _started;
    private readonly DateTimeOffset _origin;

    /// <summary>A clock running <paramref name="speed"/> times faster than <paramref name="time"/>.</summary>
    public SimulationClock(TimeProvider time, double speed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(speed, 0.001);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(speed, 100_000);
        _time = time;
        Speed = speed;
        _started = time.GetTimestamp();
        _origin = time.GetLocalNow();
    }

    /// <summary>Simulated seconds per real second.</summary>
    public double Speed { get; }

    /// <summary>Simulated time since the start.</summary>
    public TimeSpan Elapsed => _time.GetElapsedTime(_started) * Speed;

    /// <summary>The simulated wall clock (local time of the machine, as a modality's clock would be).</summary>
    public DateTimeOffset Now => _origin + Elapsed;
}
