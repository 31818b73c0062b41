using NodaTime;

namespace EquipmentIoT.Cloud.Builds;

/// <summary>
/// Where a build job stands, after OPC 40540 (OPC UA for Additive Manufacturing) job runs: it runs (or pauses, or
/// stops on a fault) until the printer reports it finished (<see cref="Completed"/>) or went idle without finishing
/// (<see cref="Aborted"/>).
/// </summary>
public enum BuildStatus
{
    /// <summary>Preparing (inerting, heating) or exposing layers.</summary>
    Running,

    /// <summary>Paused by the operator.</summary>
    Paused,

    /// <summary>Stopped by a fault; it may resume or be aborted.</summary>
    Faulted,

    /// <summary>The printer reported the job finished.</summary>
    Completed,

    /// <summary>The job ended without finishing (fault, cancelled, a new job started).</summary>
    Aborted,
}

/// <summary>One build job of one printer: what the printer's telemetry said about it.</summary>
/// <param name="BatchNumber">The unique production batch number, given when the record opened (e.g. AM-20261202-001).</param>
/// <param name="LayersStarted">The highest layer the printer reported starting.</param>
/// <param name="Summarised">When the per-layer summaries were last computed from the stored series.</param>
/// <param name="Sealed">When the record was sealed into the build ledger; nothing changes after that.</param>
public sealed record BuildRecord(long Id, string BatchNumber, string Device, string Agent, long? JobId, int? LayersPlanned,
    int LayersStarted, BuildStatus Status, Instant Started, Instant? Ended, int Pauses, int Faults, int RecoaterPasses,
    int ExcursionLayers, Instant? Summarised, Instant? Sealed)
{
    /// <summary>True once the printer reported the job's end.</summary>
    public bool HasEnded => Status is BuildStatus.Completed or BuildStatus.Aborted;
}

/// <summary>One layer: when the printer started it and when the next one (or the job's end) followed.</summary>
public sealed record BuildLayer(int Layer, Instant Started, Instant? Ended, IReadOnlyList<SignalSummary> Signals);

/// <summary>
/// A process signal over one layer: points of quality bad are left out; <paramref name="Outside"/> counts the points
/// outside the material's process window [<paramref name="WindowMin"/>, <paramref name="WindowMax"/>] (an excursion).
/// </summary>
public sealed record SignalSummary(string Signal, string? Unit, long Count, double Min, double Max, double Mean, long Outside,
    double? WindowMin, double? WindowMax)
{
    /// <summary>True when any point of the layer left the process window.</summary>
    public bool IsExcursion => Outside > 0;
}

/// <summary>Something the printer reported during the job (state changes, faults), from the event with <paramref name="EventId"/>.</summary>
public sealed record BuildTimelineItem(long EventId, Instant At, string Kind, string Detail);

/// <summary>
/// An operator's entry: signed by who made it and when (from the API token), hash-chained to the build's previous
/// entry. A correction is a new entry that names the one it corrects; entries are never edited.
/// </summary>
public sealed record BuildEntry(long Id, long BuildId, string Kind, IReadOnlyDictionary<string, string> Fields, string Actor, string Role,
    Instant At, long? Corrects, string? PreviousHash, string Hash);

/// <summary>A part made in a build, with its unique part number and GS1 UDI.</summary>
/// <param name="Udi">The UDI in GS1 human-readable form: (01) GTIN (11) production date (10) lot (21) serial.</param>
/// <param name="UdiElementString">The same as a GS1 element string (FNC1 as ASCII GS), what a DataMatrix carries.</param>
public sealed record BuildPart(long Id, long BuildId, string PartNumber, string Gtin, string Lot, LocalDate ProductionDate, string Serial,
    string Udi, string UdiElementString, string CaseRef, string DeviceName, long EntryId);

/// <summary>A link of the build ledger: a sealed record or a correction made after sealing.</summary>
public sealed record BuildLedgerLink(long Seq, BuildLedgerKind Kind, long BuildId, long? EntryId, long LastEntryId, string ContentHash,
    string? PreviousHash, string Hash, Instant At, string Actor);

/// <summary>What a ledger link holds.</summary>
public enum BuildLedgerKind
{
    /// <summary>A build record's canonical content at release.</summary>
    Seal,

    /// <summary>An entry that corrects a sealed record.</summary>
    Correction,
}

/// <summary>Everything about one build: the record, layers, timeline, entries, parts and its ledger links.</summary>
public sealed record BuildDetail(BuildRecord Record, IReadOnlyList<BuildLayer> Layers, IReadOnlyList<BuildTimelineItem> Timeline,
    IReadOnlyList<BuildEntry> Entries, IReadOnlyList<BuildPart> Parts, IReadOnlyList<BuildLedgerLink> Ledger)
{
    /// <summary>The entries in effect: those no later entry corrects.</summary>
    public IEnumerable<BuildEntry> EffectiveEntries()
    {
        var corrected = Entries.Where(e => e.Corrects is not null).Select(e => e.Corrects!.Value).ToHashSet();
        return Entries.Where(e => !corrected.Contains(e.Id));
    }
}
