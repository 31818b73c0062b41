using EquipmentIoT.Protocols.Telemetry.Commands;
using EquipmentIoT.Protocols.Telemetry.Model;
using NodaTime;

namespace EquipmentIoT.Cloud.Storage;

/// <summary>
/// The record of every batch the cloud received: accepted batches (with their exact JWS, the proof of
/// origin), their events, the per-stream chain and its gaps, and the quarantine. It decides a batch's
/// place in its chain inside its own transaction (<see cref="ChainLedgerRules"/>), so that several ingestion
/// instances sharing one store agree, and a batch delivered twice is stored once.
/// </summary>
public interface ITelemetryLedger
{
    /// <summary>
    /// Stores verified batches in one transaction: each is decided against the stored batches of its stream
    /// (stored, duplicate, or quarantined as broken / conflict), its events are stored, gaps are opened or
    /// filled, and integrity events are written. Returns one outcome per input, in order. A stored batch is
    /// marked "series pending" until <see cref="MarkSeriesWrittenAsync"/>.
    /// </summary>
    Task<IReadOnlyList<IngestOutcome>> IngestAsync(IReadOnlyList<IncomingBatch> batches, CancellationToken cancellationToken);

    /// <summary>Quarantines a message that failed before the chain (signature, key, schema, time), with an integrity event.</summary>
    Task QuarantineAsync(QuarantineEntry entry, CancellationToken cancellationToken);

    /// <summary>Stored batches whose points are not yet in the series store (after a crash between the two commits).</summary>
    Task<IReadOnlyList<StoredBatch>> SeriesPendingAsync(int max, CancellationToken cancellationToken);

    /// <summary>Clears the "series pending" mark of these batches.</summary>
    Task MarkSeriesWrittenAsync(IReadOnlyList<long> batchIds, CancellationToken cancellationToken);

    /// <summary>One stored batch with its JWS, or null.</summary>
    Task<StoredBatch?> GetBatchAsync(string agent, string stream, long seq, CancellationToken cancellationToken);

    /// <summary>Gaps not yet filled nor reported unavailable, oldest first.</summary>
    Task<IReadOnlyList<GapRecord>> OpenGapsAsync(CancellationToken cancellationToken);

    /// <summary>Notes that a resend was requested for a gap (count and time), so that requests are paced.</summary>
    Task MarkGapRequestedAsync(long gapId, Instant at, CancellationToken cancellationToken);

    /// <summary>Records an agent's resend reply: ranges it reports unavailable become reported gaps (not violations).</summary>
    Task RecordResendReplyAsync(string agent, ResendReply reply, Instant at, CancellationToken cancellationToken);

    /// <summary>Per agent: batches received, stored, duplicates, quarantined; gaps open, filled, reported unavailable.</summary>
    Task<IReadOnlyList<IntegritySummary>> IntegrityAsync(string? agent, CancellationToken cancellationToken);

    /// <summary>Stored events, newest first.</summary>
    Task<IReadOnlyList<StoredEvent>> EventsAsync(EventQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Stored events with an id above <paramref name="afterId"/> whose type is one of <paramref name="types"/>, oldest id
    /// first: a cursor for consumers that follow the event log (build records). Ids grow in commit order; an event
    /// that arrives late (a filled gap) gets a new, higher id, so a cursor never misses it.
    /// </summary>
    Task<IReadOnlyList<StoredEvent>> EventsAfterAsync(long afterId, IReadOnlyCollection<string> types, int limit, CancellationToken cancellationToken);

    /// <summary>Quarantined messages, newest first.</summary>
    Task<IReadOnlyList<QuarantineRecord>> QuarantinedAsync(QuarantineQuery query, CancellationToken cancellationToken);

    /// <summary>Number of stored (accepted) batches, for health and backup checks.</summary>
    Task<long> CountBatchesAsync(CancellationToken cancellationToken);
}

/// <summary>A batch whose signature, schema and timestamps were verified, ready for the chain decision.</summary>
/// <param name="Jws">The exact bytes received (JWS compact serialisation): stored as the proof of origin.</param>
/// <param name="Hash">Its chain hash (<c>TelemetryChain.Hash</c>).</param>
public sealed record IncomingBatch(string Kid, string Hash, Instant Received, ReadOnlyMemory<byte> Jws, TelemetryBatch Batch);

/// <summary>What happened to one batch.</summary>
public enum IngestDisposition
{
    /// <summary>Newly stored.</summary>
    Stored,

    /// <summary>Byte-identical to a stored batch (redelivery, resend of what arrived): nothing changed.</summary>
    Duplicate,

    /// <summary>Put in quarantine (see the reason).</summary>
    Quarantined,
}

/// <summary>The outcome of <see cref="ITelemetryLedger.IngestAsync"/> for one batch.</summary>
/// <param name="BatchId">The ledger id of the stored batch (also of the existing one for a duplicate).</param>
/// <param name="NewGap">A gap this batch revealed (seqs missing before it), to ask the agent for.</param>
/// <param name="FilledGap">True when this batch filled (part of) an open gap.</param>
public sealed record IngestOutcome(IngestDisposition Disposition, long? BatchId, QuarantineReason? Reason, string? Detail,
    SeqRange? NewGap, bool FilledGap);

/// <summary>Why a message is in quarantine.</summary>
public enum QuarantineReason
{
    Malformed,
    BadSignature,
    UnknownAgent,
    UnknownKey,
    RevokedKey,
    SchemaViolation,
    TopicMismatch,
    FutureTimestamp,
    BrokenChain,
    Conflict,
}

/// <summary>A message to quarantine. <paramref name="Agent"/> is the topic's agent id; stream/seq when they could be read.</summary>
public sealed record QuarantineEntry(string Agent, string? Kid, string? Stream, long? Seq, QuarantineReason Reason, string Detail,
    Instant Received, ReadOnlyMemory<byte> Payload);

/// <summary>A stored quarantine row (payload kept for forensics, up to its size limit).</summary>
public sealed record QuarantineRecord(long Id, string Agent, string? Kid, string? Stream, long? Seq, QuarantineReason Reason,
    string Detail, Instant Received, int PayloadBytes, byte[] Payload);

/// <summary>Filter for quarantine listings.</summary>
public sealed record QuarantineQuery(string? Agent = null, QuarantineReason? Reason = null, Instant? From = null, Instant? To = null,
    int Limit = 100);

/// <summary>A stored batch.</summary>
public sealed record StoredBatch(long Id, string Agent, string Stream, long Seq, string Kid, string Hash, string? Prev,
    Instant Created, Instant Received, byte[] Jws, bool SeriesPending);

/// <summary>A range of missing seqs on a stream.</summary>
public sealed record GapRecord(long Id, string Agent, string Stream, long From, long To, Instant Detected, int Requests,
    Instant? LastRequested, GapStatus Status);

/// <summary>Where a gap stands.</summary>
public enum GapStatus
{
    Open,
    Filled,
    ReportedUnavailable,
}

/// <summary>Integrity figures of one agent.</summary>
public sealed record IntegritySummary(string Agent, long Received, long Stored, long Duplicates, long Quarantined,
    long GapsOpen, long GapsFilled, long GapsUnavailable, long MissingBatches, Instant? LastReceived);

/// <summary>An event as stored: from a batch (<paramref name="BatchId"/> set) or raised by the cloud itself (integrity).</summary>
public sealed record StoredEvent(long Id, string Agent, string Device, string Type, Instant Timestamp,
    IReadOnlyDictionary<string, EventValue> Data, long? BatchId);

/// <summary>Filter for event listings; <paramref name="TypePrefix"/> such as "exam." or "integrity.".</summary>
public sealed record EventQuery(string? Device = null, string? Agent = null, string? TypePrefix = null, Instant? From = null,
    Instant? To = null, int Limit = 100);

/// <summary>Types of the events the cloud raises itself about integrity (device = the agent id).</summary>
public static class IntegrityEventTypes
{
    public const string Quarantined = "integrity.quarantined";
    public const string GapDetected = "integrity.gap";
    public const string GapFilled = "integrity.gap_filled";
    public const string GapUnavailable = "integrity.gap_unavailable";
}
