using EquipmentIoT.Protocols.Telemetry.Commands;
using NodaTime;

namespace EquipmentIoT.Cloud.Storage;

/// <summary>A gap row as the ledger writer needs it.</summary>
internal readonly record struct GapRow(long Id, SeqRange Range, GapStatus Status);

/// <summary>The stored batches at seq−1, seq and seq+1 of a stream.</summary>
internal readonly record struct Neighbours(long? SameId, StoredLink? Same, StoredLink? Before, StoredLink? After);

/// <summary>
/// The statements of one ledger write transaction, whatever the database: <see cref="LedgerWrite"/> makes the
/// chain and gap decisions once, against this, for SQLite (<c>Sqlite.LedgerCommands</c>) and PostgreSQL
/// (<c>Postgres.PostgresLedgerCommands</c>) alike. Every call runs inside the caller's current transaction.
/// </summary>
internal interface ILedgerCommands
{
    Task<Neighbours> NeighboursAsync(string agent, string stream, long seq, CancellationToken cancellationToken);

    Task<long?> MaxSeqAsync(string agent, string stream, CancellationToken cancellationToken);

    /// <summary>Inserts the batch and marks it "series pending"; returns its id.</summary>
    Task<long> InsertBatchAsync(IncomingBatch incoming, CancellationToken cancellationToken);

    Task InsertEventAsync(string agent, string device, string type, Instant timestamp, string dataJson, long? batchId, CancellationToken cancellationToken);

    /// <summary>Inserts a quarantine row, keeping at most <see cref="LedgerLimits.QuarantinePayloadLimit"/> bytes of the payload.</summary>
    Task InsertQuarantineAsync(QuarantineEntry entry, CancellationToken cancellationToken);

    /// <summary>The open or reported gap holding <paramref name="seq"/>, if any (gaps of a stream never overlap).</summary>
    Task<GapRow?> FindUnfilledGapAsync(string agent, string stream, long seq, CancellationToken cancellationToken);

    /// <summary>Open gaps of the stream overlapping <paramref name="range"/>, lowest first.</summary>
    Task<List<GapRow>> OpenGapsOverlappingAsync(string agent, string stream, SeqRange range, CancellationToken cancellationToken);

    Task<long> InsertGapAsync(string agent, string stream, SeqRange range, Instant detected, CancellationToken cancellationToken);

    /// <summary>Sets a gap's range and status (resolved time for Filled and ReportedUnavailable).</summary>
    Task UpdateGapAsync(long id, SeqRange range, GapStatus status, Instant? resolved, CancellationToken cancellationToken);

    Task SetGapRangeAsync(long id, SeqRange range, CancellationToken cancellationToken);

    /// <summary>A new gap row for another piece of gap <paramref name="id"/>: its status, detection, requests and resolution copied.</summary>
    Task CopyGapAsync(long id, SeqRange range, CancellationToken cancellationToken);

    Task AddCountersAsync(string agent, IntegrityCounts counts, CancellationToken cancellationToken);

    Task MarkSeriesWrittenAsync(long batchId, CancellationToken cancellationToken);

    /// <summary>Counts a resend request of a gap; false when no gap has this id.</summary>
    Task<bool> MarkGapRequestedAsync(long gapId, Instant at, CancellationToken cancellationToken);
}

/// <summary>Limits every ledger implementation keeps.</summary>
internal static class LedgerLimits
{
    /// <summary>Quarantine keeps at most this much of a payload (its full length is stored beside it).</summary>
    public const int QuarantinePayloadLimit = 64 * 1024;
}
