using NodaTime;

namespace EquipmentIoT.Cloud.Builds;

/// <summary>
/// Build records, their operator entries, parts and the build ledger. A sealed record refuses every change (the
/// SQLite store enforces it with triggers as well); corrections are new entries, each appended to the ledger.
/// </summary>
public interface IBuildStore
{
    /// <summary>The builds still open and the event cursor the tracker continues from.</summary>
    Task<(List<TrackedBuild> Open, long Cursor)> LoadTrackingAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Saves what the tracker made of the events up to <paramref name="cursor"/>, in one transaction, only if the stored
    /// cursor is still <paramref name="expectedCursor"/> (another instance may have done it): false when it was not.
    /// New builds get their batch number here.
    /// </summary>
    Task<bool> SaveTrackingAsync(long expectedCursor, long cursor, IReadOnlyList<TrackedBuild> builds, BatchNumbering numbering,
        CancellationToken cancellationToken);

    /// <summary>Builds whose summaries are due: running ones last summarised before <paramref name="runningBefore"/>, ended ones not
    /// summarised since <paramref name="settle"/> after their end.</summary>
    Task<IReadOnlyList<BuildRecord>> DueForSummaryAsync(Instant runningBefore, Instant endedBefore, Duration settle, CancellationToken cancellationToken);

    /// <summary>Replaces a build's per-layer summaries (refused once sealed: returns false).</summary>
    Task<bool> SaveSummaryAsync(BuildSummary summary, CancellationToken cancellationToken);

    /// <summary>Builds matching <paramref name="query"/>, newest first.</summary>
    Task<IReadOnlyList<BuildRecord>> ListAsync(BuildQuery query, CancellationToken cancellationToken);

    /// <summary>One build with everything about it, or null.</summary>
    Task<BuildDetail?> GetAsync(long id, CancellationToken cancellationToken);

    /// <summary>The id of the build with this batch number, or null.</summary>
    Task<long?> FindByBatchAsync(string batchNumber, CancellationToken cancellationToken);

    /// <summary>
    /// Adds an operator entry (hash-chained to the build's previous one). On a sealed build only a correction (naming the
    /// entry it corrects) is taken, and it is appended to the ledger in the same transaction.
    /// </summary>
    Task<BuildEntry> AddEntryAsync(NewBuildEntry entry, CancellationToken cancellationToken);

    /// <summary>Adds a part (and the part entry that records who added it); its number, serial and UDI come from <paramref name="identify"/>.</summary>
    Task<BuildPart> AddPartAsync(NewBuildEntry entry, Func<BuildRecord, int, PartIdentity> identify, CancellationToken cancellationToken);

    /// <summary>
    /// Adds the release <paramref name="decision"/> and seals the build, in one transaction: reads its detail, hashes
    /// its canonical content with every entry so far, appends the link to the ledger and marks the build sealed.
    /// </summary>
    Task<(BuildEntry Decision, BuildLedgerLink Seal)> SealAsync(NewBuildEntry decision, CancellationToken cancellationToken);

    /// <summary>The whole ledger in order.</summary>
    Task<IReadOnlyList<BuildLedgerLink>> LedgerAsync(CancellationToken cancellationToken);

    /// <summary>Parts by UDI parts (lot and serial), by case reference, or of a build.</summary>
    Task<IReadOnlyList<BuildPart>> PartsAsync(PartQuery query, CancellationToken cancellationToken);
}

/// <summary>An entry to add: <paramref name="Corrects"/> names the entry it corrects, if any.</summary>
public sealed record NewBuildEntry(long BuildId, string Kind, IReadOnlyDictionary<string, string> Fields, string Actor, string Role, Instant At,
    long? Corrects = null);

/// <summary>A part's identity: number, serial and UDI forms.</summary>
public sealed record PartIdentity(string PartNumber, string Gtin, string Lot, LocalDate ProductionDate, string Serial, string Udi, string UdiElementString);

/// <summary>Per-layer summaries of one build, from the series store.</summary>
public sealed record BuildSummary(long BuildId, long? JobId, int? LayersPlanned, IReadOnlyList<(int Layer, SignalSummary Summary)> Signals,
    int ExcursionLayers, Instant At);

/// <summary>How batch numbers are made: <c>{Prefix}-{local date}-{nnn}</c> in <paramref name="Zone"/>.</summary>
public sealed record BatchNumbering(string Prefix, DateTimeZone Zone);

/// <summary>A filter for build listings; every member narrows.</summary>
public sealed record BuildQuery(string? Device = null, Instant? From = null, Instant? To = null, BuildStatus? Status = null,
    string? PowderLot = null, string? CaseRef = null, string? Material = null, bool? Sealed = null, int Limit = 100);

/// <summary>A filter for parts.</summary>
public sealed record PartQuery(long? BuildId = null, string? CaseRef = null, string? Lot = null, string? Serial = null, int Limit = 1000);
