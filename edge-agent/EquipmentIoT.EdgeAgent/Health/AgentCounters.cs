namespace EquipmentIoT.EdgeAgent.Health;

/// <summary>What the agent counted since it started: every reading it could not keep is here, never silent.</summary>
public sealed class AgentCounters
{
    private long _collectedPoints;
    private long _collectedEvents;
    private long _thinnedPoints;
    private long _droppedPoints;
    private long _droppedBatches;
    private long _sealedBatches;
    private long _publishedBatches;
    private long _resentBatches;
    private long _rejectedPoints;
    private long _rejectedEvents;
    private string? _lastError;

    /// <summary>Readings handed to the agent by adapters.</summary>
    public long CollectedPoints => Volatile.Read(ref _collectedPoints);

    /// <summary>Events handed to the agent by adapters.</summary>
    public long CollectedEvents => Volatile.Read(ref _collectedEvents);

    /// <summary>Readings left out by thinning under buffer pressure.</summary>
    public long ThinnedPoints => Volatile.Read(ref _thinnedPoints);

    /// <summary>Readings dropped because the buffer was full or the disk could not keep up.</summary>
    public long DroppedPoints => Volatile.Read(ref _droppedPoints);

    /// <summary>Metrics batches dropped (their readings are in <see cref="DroppedPoints"/>).</summary>
    public long DroppedBatches => Volatile.Read(ref _droppedBatches);

    /// <summary>Batches signed and stored durably.</summary>
    public long SealedBatches => Volatile.Read(ref _sealedBatches);

    /// <summary>Batches the broker acknowledged.</summary>
    public long PublishedBatches => Volatile.Read(ref _publishedBatches);

    /// <summary>Batches republished for a resend command.</summary>
    public long ResentBatches => Volatile.Read(ref _resentBatches);

    /// <summary>The last error worth an engineer's attention, with its time, or null.</summary>
    public string? LastError => Volatile.Read(ref _lastError);

    /// <summary>Readings an adapter produced that break the envelope's rules (e.g. a unit with a space): refused, never batched.</summary>
    public long RejectedPoints => Volatile.Read(ref _rejectedPoints);

    /// <summary>Events refused for the same reason.</summary>
    public long RejectedEvents => Volatile.Read(ref _rejectedEvents);

    internal long RejectedPoint() => Interlocked.Increment(ref _rejectedPoints);

    internal long RejectedEvent() => Interlocked.Increment(ref _rejectedEvents);

    internal void Collected(int points) => Interlocked.Add(ref _collectedPoints, points);

    internal void CollectedEvent() => Interlocked.Increment(ref _collectedEvents);

    internal void Thinned(int points) => Interlocked.Add(ref _thinnedPoints, points);

    internal void Dropped(int points)
    {
        Interlocked.Add(ref _droppedPoints, points);
        Interlocked.Increment(ref _droppedBatches);
    }

    internal void Sealed() => Interlocked.Increment(ref _sealedBatches);

    internal void Published() => Interlocked.Increment(ref _publishedBatches);

    internal void Resent(long batches) => Interlocked.Add(ref _resentBatches, batches);

    internal void Error(TimeProvider time, string what) =>
        Volatile.Write(ref _lastError, $"{time.GetUtcNow():yyyy-MM-ddTHH:mm:ssZ} {what}");
}
