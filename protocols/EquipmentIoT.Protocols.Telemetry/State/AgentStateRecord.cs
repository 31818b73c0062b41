using NodaTime;

namespace EquipmentIoT.Protocols.Telemetry.State;

/// <summary>Whether the agent is running (SPEC.md §state). The last will carries <see cref="Offline"/>.</summary>
public enum AgentStatus
{
    /// <summary>Running and connected (the record is published retained after each connect and periodically).</summary>
    Online,
    /// <summary>Stopped cleanly, or the broker published the last will.</summary>
    Offline,
}

/// <summary>How full the agent's store-and-forward buffer is, and which policy is in force.</summary>
public enum BufferPressure
{
    /// <summary>Below the thinning threshold: everything is kept.</summary>
    Normal,
    /// <summary>Metrics are being thinned (down-sampled) to make room; events are kept.</summary>
    Thinning,
    /// <summary>At the size limit: new metric batches are dropped before they are sealed; events are kept.</summary>
    Full,
}

/// <summary>The health of one device adapter.</summary>
public enum AdapterStatus
{
    /// <summary>Reading normally.</summary>
    Ok,
    /// <summary>Reading with errors (timeouts, retries, partial reads).</summary>
    Degraded,
    /// <summary>Not reading (device unreachable or adapter stopped).</summary>
    Down,
}

/// <summary>
/// The agent's retained state/health record on <c>eq/v1/{agentId}/state</c> (SPEC.md §state). It is
/// informational: every member but <see cref="Agent"/>, <see cref="Status"/> and <see cref="At"/> is optional
/// and omitted when null; readers must ignore members they do not know.
/// </summary>
public sealed record AgentStateRecord
{
    /// <summary>The agent id.</summary>
    public required string Agent { get; init; }

    /// <summary>Online, or offline in the last will and on a clean stop.</summary>
    public AgentStatus Status { get; init; } = AgentStatus.Online;

    /// <summary>The agent's software version.</summary>
    public string? Version { get; init; }

    /// <summary>When the agent process started.</summary>
    public Instant? Started { get; init; }

    /// <summary>When this record was made.</summary>
    public required Instant At { get; init; }

    /// <summary>Seconds since start.</summary>
    public long? UptimeSeconds { get; init; }

    /// <summary>The store-and-forward buffer.</summary>
    public AgentBufferState? Buffer { get; init; }

    /// <summary>What the buffer policy has thinned or dropped since the agent's store was created.</summary>
    public AgentDroppedCounts? Dropped { get; init; }

    /// <summary>One entry per configured device adapter.</summary>
    public IReadOnlyList<AdapterState>? Adapters { get; init; }

    /// <summary>The connection to the cloud.</summary>
    public TransportState? Transport { get; init; }

    /// <summary>The agent's last error of any kind, or null.</summary>
    public string? LastError { get; init; }

    /// <summary>The agent's UTC clock when it wrote the record (lets the cloud spot a drifting clock); <see cref="At"/> when null.</summary>
    public Instant? ClockUtc { get; init; }
}

/// <summary>The store-and-forward buffer in the state record.</summary>
/// <param name="UnsentBatches">Batches on disk not yet acknowledged by the broker.</param>
/// <param name="UnsentBytes">Their size in bytes.</param>
/// <param name="OldestUnsentAgeSeconds">Age of the oldest of them in seconds; null when there are none.</param>
/// <param name="UsedBytes">Bytes the buffer takes on disk.</param>
/// <param name="MaxBytes">The configured ceiling.</param>
/// <param name="Pressure">Which policy is in force.</param>
public sealed record AgentBufferState(long UnsentBatches, long UnsentBytes, double? OldestUnsentAgeSeconds, long UsedBytes, long MaxBytes,
    BufferPressure Pressure);

/// <summary>Counts of what the buffer policy removed (SPEC.md §streams: only the metrics stream is ever thinned or dropped).</summary>
/// <param name="ThinnedPoints">Points removed by down-sampling.</param>
/// <param name="DroppedPoints">Points removed with whole dropped batches.</param>
/// <param name="DroppedBatches">Metric batches dropped.</param>
public sealed record AgentDroppedCounts(long ThinnedPoints, long DroppedPoints, long DroppedBatches);

/// <summary>One device adapter in the state record.</summary>
/// <param name="Device">The device id.</param>
/// <param name="Adapter">The adapter kind, e.g. "modbus-tcp", "serial", "mpps".</param>
/// <param name="Status">Its health.</param>
/// <param name="LastError">Its last error, or null.</param>
public sealed record AdapterState(string Device, string Adapter, AdapterStatus Status, string? LastError = null);

/// <summary>The cloud connection in the state record.</summary>
/// <param name="Kind">"mqtt".</param>
/// <param name="Connected">Whether it is connected now.</param>
/// <param name="LastError">Its last error, or null.</param>
public sealed record TransportState(string Kind, bool Connected, string? LastError = null);
