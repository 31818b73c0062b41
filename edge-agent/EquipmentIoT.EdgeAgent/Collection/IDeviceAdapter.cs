namespace EquipmentIoT.EdgeAgent.Collection;

/// <summary>The health of one adapter, as the health record shows it.</summary>
public enum AdapterState
{
    /// <summary>Not started yet.</summary>
    Starting,
    /// <summary>Reading normally.</summary>
    Ok,
    /// <summary>Reading, but with errors (bad lines, timeouts) being counted.</summary>
    Degraded,
    /// <summary>Not reading (device unreachable, port gone); retrying.</summary>
    Down,
}

/// <summary>A snapshot of an adapter's health.</summary>
public sealed record AdapterStatus(string Device, string Adapter, AdapterState State, string? LastError);

/// <summary>
/// Reads one device and hands readings and events to the sink until cancelled. An adapter never lets an
/// exception escape for anything a device sends: it counts, logs, reports <see cref="AdapterState.Degraded"/>
/// or <see cref="AdapterState.Down"/> and carries on.
/// </summary>
public interface IDeviceAdapter
{
    /// <summary>The device this adapter reads.</summary>
    string Device { get; }

    /// <summary>The adapter's current health.</summary>
    AdapterStatus Status { get; }

    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled.</summary>
    Task RunAsync(ITelemetrySink sink, CancellationToken cancellationToken);
}
