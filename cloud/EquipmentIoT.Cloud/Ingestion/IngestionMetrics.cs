using EquipmentIoT.Cloud.Storage;
using NodaTime;

namespace EquipmentIoT.Cloud.Ingestion;

/// <summary>
/// Counters of the ingestion pipeline since the process started, updated lock-free from the MQTT handler
/// and the committer; <see cref="Snapshot"/> gives a consistent-enough copy for /metrics.
/// </summary>
public sealed class IngestionMetrics
{
    private static readonly int ReasonCount = Enum.GetValues<QuarantineReason>().Length;

    private readonly long[] _quarantined = new long[ReasonCount];
    private long _messages, _bytes, _batchesStored, _duplicates, _points, _events, _commits, _commitFailures, _commitTicks, _maxCommitTicks;
    private long _lastCommitTicks, _resendRequests, _resendReplies, _gapsOpened, _gapsFilled, _stateRecords, _skipped, _lagTicks;
    private long _newestCreatedTicks = long.MinValue;
    private Func<int> _queueDepth = () => 0;

    internal void Received(int bytes)
    {
        Interlocked.Increment(ref _messages);
        Interlocked.Add(ref _bytes, bytes);
    }

    internal void Quarantined(QuarantineReason reason) => Interlocked.Increment(ref _quarantined[(int)reason]);

    internal void Stored(int points, int events, Instant created, Instant received)
    {
        Interlocked.Increment(ref _batchesStored);
        Interlocked.Add(ref _points, points);
        Interlocked.Add(ref _events, events);
        // Lag of the newest batch seen (by created time): how far behind real time the stored data is.
        var ticks = created.ToUnixTimeTicks();
        var seen = Interlocked.Read(ref _newestCreatedTicks);
        while (ticks > seen)
        {
            var was = Interlocked.CompareExchange(ref _newestCreatedTicks, ticks, seen);
            if (was == seen)
            {
                Interlocked.Exchange(ref _lagTicks, (received - created).BclCompatibleTicks);
                break;
            }
            seen = was;
        }
    }

    internal void Duplicate() => Interlocked.Increment(ref _duplicates);

    internal void Committed(TimeSpan latency)
    {
        Interlocked.Increment(ref _commits);
        Interlocked.Add(ref _commitTicks, latency.Ticks);
        Interlocked.Exchange(ref _lastCommitTicks, latency.Ticks);
        var max = Interlocked.Read(ref _maxCommitTicks);
        while (latency.Ticks > max)
        {
            var was = Interlocked.CompareExchange(ref _maxCommitTicks, latency.Ticks, max);
            if (was == max) break;
            max = was;
        }
    }

    internal void CommitFailed() => Interlocked.Increment(ref _commitFailures);

    internal void GapOpened() => Interlocked.Increment(ref _gapsOpened);

    internal void GapFilled() => Interlocked.Increment(ref _gapsFilled);

    internal void ResendRequested() => Interlocked.Increment(ref _resendRequests);

    internal void ResendReplied() => Interlocked.Increment(ref _resendReplies);

    internal void StateRecord() => Interlocked.Increment(ref _stateRecords);

    /// <summary>A message that was not telemetry, state or a reply we understand (counted and logged, never stored).</summary>
    internal void Skipped() => Interlocked.Increment(ref _skipped);

    internal void SetQueueDepth(Func<int> depth) => _queueDepth = depth;

    /// <summary>A copy of every counter.</summary>
    public IngestionSnapshot Snapshot()
    {
        var quarantined = new Dictionary<QuarantineReason, long>(ReasonCount);
        for (var i = 0; i < ReasonCount; i++) quarantined[(QuarantineReason)i] = Interlocked.Read(ref _quarantined[i]);
        var commits = Interlocked.Read(ref _commits);
        return new IngestionSnapshot(
            Interlocked.Read(ref _messages), Interlocked.Read(ref _bytes), Interlocked.Read(ref _batchesStored), Interlocked.Read(ref _duplicates),
            quarantined, Interlocked.Read(ref _points), Interlocked.Read(ref _events), commits, Interlocked.Read(ref _commitFailures),
            commits == 0 ? TimeSpan.Zero : TimeSpan.FromTicks(Interlocked.Read(ref _commitTicks) / commits),
            TimeSpan.FromTicks(Interlocked.Read(ref _lastCommitTicks)), TimeSpan.FromTicks(Interlocked.Read(ref _maxCommitTicks)),
            _queueDepth(), Interlocked.Read(ref _newestCreatedTicks) == long.MinValue ? null : TimeSpan.FromTicks(Interlocked.Read(ref _lagTicks)),
            Interlocked.Read(ref _resendRequests), Interlocked.Read(ref _resendReplies), Interlocked.Read(ref _gapsOpened), Interlocked.Read(ref _gapsFilled),
            Interlocked.Read(ref _stateRecords), Interlocked.Read(ref _skipped));
    }
}

/// <summary>The ingestion counters at one moment.</summary>
/// <param name="Messages">Telemetry messages received (every delivery, redeliveries included).</param>
/// <param name="Bytes">Their payload bytes.</param>
/// <param name="BatchesStored">Batches newly stored.</param>
/// <param name="Duplicates">Batches already stored (redelivery, resend of what had arrived).</param>
/// <param name="Quarantined">Messages quarantined, per reason.</param>
/// <param name="Points">Metric points of the stored batches.</param>
/// <param name="Events">Events of the stored batches.</param>
/// <param name="Commits">Group commits that succeeded.</param>
/// <param name="CommitFailures">Group commits that failed (their messages are redelivered).</param>
/// <param name="MeanCommitLatency">Mean time of a group commit (ledger, series, registry).</param>
/// <param name="LastCommitLatency">Time of the last group commit.</param>
/// <param name="MaxCommitLatency">Longest group commit.</param>
/// <param name="QueueDepth">Messages waiting for the committer now.</param>
/// <param name="Lag">Received minus created of the newest stored batch; null before the first.</param>
/// <param name="ResendRequests">Resend commands published.</param>
/// <param name="ResendReplies">Resend replies recorded.</param>
/// <param name="GapsOpened">Gaps found.</param>
/// <param name="GapsFilled">Stored batches that filled (part of) a gap.</param>
/// <param name="StateRecords">Agent state records seen.</param>
/// <param name="Skipped">Messages on unexpected topics or replies that could not be read.</param>
public sealed record IngestionSnapshot(long Messages, long Bytes, long BatchesStored, long Duplicates,
    IReadOnlyDictionary<QuarantineReason, long> Quarantined, long Points, long Events, long Commits, long CommitFailures,
    TimeSpan MeanCommitLatency, TimeSpan LastCommitLatency, TimeSpan MaxCommitLatency, int QueueDepth, TimeSpan? Lag,
    long ResendRequests, long ResendReplies, long GapsOpened, long GapsFilled, long StateRecords, long Skipped)
{
    /// <summary>All quarantined messages.</summary>
    public long QuarantinedTotal => Quarantined.Values.Sum();
}
