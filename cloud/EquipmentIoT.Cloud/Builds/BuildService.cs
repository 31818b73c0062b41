using Microsoft.Extensions.Options;
using NodaTime;

namespace EquipmentIoT.Cloud.Builds;

/// <summary>Who is acting: the API token's name and role (the signature on an entry).</summary>
public sealed record BuildActor(string Name, string Role);

/// <summary>
/// What operators, quality and auditors do with build records: log entries (validated, signed by the actor), add
/// parts (batch number, part number, GS1 UDI), release or reject — which seals the record — and verify the ledger.
/// </summary>
public sealed class BuildService(IBuildStore store, BuildSummaries summaries, PartIdentities identities, IClock clock)
{
    /// <summary>Adds an operator entry; <paramref name="corrects"/> names the entry it corrects (required once sealed).</summary>
    public async Task<BuildEntry> AddEntryAsync(long buildId, string kind, IReadOnlyDictionary<string, string> fields, long? corrects, BuildActor actor,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(actor);
        if (kind is BuildEntryKinds.Part or BuildEntryKinds.Release && corrects is null)
            throw new BuildException(BuildProblem.Invalid, $"a {kind} is added through its own request (parts, release), not as an entry");
        if (BuildEntryKinds.Validate(kind, fields) is { } reason) throw new BuildException(BuildProblem.Invalid, reason);
        var entry = await store.AddEntryAsync(new NewBuildEntry(buildId, kind, fields, actor.Name, actor.Role, clock.GetCurrentInstant(), corrects),
            cancellationToken).ConfigureAwait(false);
        // The material decides the process windows: summaries follow a changed material at once (until sealed).
        if (kind == BuildEntryKinds.Material) await summaries.RefreshAsync(buildId, cancellationToken).ConfigureAwait(false);
        return entry;
    }

    /// <summary>Adds a part for a patient case; it gets the next part number of the build and its UDI.</summary>
    public async Task<BuildPart> AddPartAsync(long buildId, IReadOnlyDictionary<string, string> fields, BuildActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(actor);
        if (BuildEntryKinds.Validate(BuildEntryKinds.Part, fields) is { } reason) throw new BuildException(BuildProblem.Invalid, reason);
        var gtin = identities.GtinFor(fields.GetValueOrDefault("product"));
        return await store.AddPartAsync(new NewBuildEntry(buildId, BuildEntryKinds.Part, fields, actor.Name, actor.Role, clock.GetCurrentInstant()),
            (record, index) => identities.Identify(record, index, gtin), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Records the release decision (released or rejected, with the reason) and seals the record: the summaries are
    /// computed one last time, then the canonical content is hashed into the ledger. The job must have ended; a
    /// release needs every inspection in effect to have passed.
    /// </summary>
    public async Task<(BuildEntry Decision, BuildLedgerLink Seal)> ReleaseAsync(long buildId, IReadOnlyDictionary<string, string> fields, BuildActor actor,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(actor);
        if (BuildEntryKinds.Validate(BuildEntryKinds.Release, fields) is { } reason) throw new BuildException(BuildProblem.Invalid, reason);
        var detail = await store.GetAsync(buildId, cancellationToken).ConfigureAwait(false)
            ?? throw new BuildException(BuildProblem.NotFound, $"no build {buildId}");
        if (detail.Record.Sealed is not null) throw new BuildException(BuildProblem.Conflict, $"build {detail.Record.BatchNumber} is already sealed");
        if (!detail.Record.HasEnded)
            throw new BuildException(BuildProblem.Conflict, $"build {detail.Record.BatchNumber} is still {detail.Record.Status.ToString().ToLowerInvariant()}: release it after the job ends");
        if (fields["decision"] == "released" && detail.EffectiveEntries().FirstOrDefault(e => e.Kind == BuildEntryKinds.Inspection && e.Fields["result"] == "fail") is { } failed)
            throw new BuildException(BuildProblem.Conflict, $"inspection entry {failed.Id} ({failed.Fields["test"]}) failed: reject the build, or correct the inspection");

        await summaries.RefreshAsync(buildId, cancellationToken).ConfigureAwait(false);
        return await store.SealAsync(new NewBuildEntry(buildId, BuildEntryKinds.Release, fields, actor.Name, actor.Role, clock.GetCurrentInstant()),
            cancellationToken).ConfigureAwait(false);
    }

}
