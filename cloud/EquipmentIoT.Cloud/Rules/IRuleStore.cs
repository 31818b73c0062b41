using EquipmentIoT.Cloud.Rules.Engine;
using EquipmentIoT.Cloud.Rules.Parsing;
using NodaTime;

namespace EquipmentIoT.Cloud.Rules;

/// <summary>
/// Rules added or changed through the API (they override shipped, file and configuration rules with the same id), and the rule
/// engine's saved state.
/// </summary>
public interface IRuleStore
{
    /// <summary>The stored rules as written, in id order.</summary>
    Task<IReadOnlyList<StoredRule>> ListAsync(CancellationToken cancellationToken);

    /// <summary>The stored rules read back; a row that no longer reads (written by a newer build, say) is an error in the result.</summary>
    Task<RuleReadResult> LoadAsync(CancellationToken cancellationToken);

    /// <summary>Adds or replaces the rule with this id.</summary>
    Task SaveAsync(RuleDefinition rule, string actor, Instant at, CancellationToken cancellationToken);

    /// <summary>Removes a stored rule (a shipped or file rule with its id applies again); false when none had the id.</summary>
    Task<bool> DeleteAsync(string id, CancellationToken cancellationToken);

    /// <summary>Replaces the saved engine state.</summary>
    Task SaveSnapshotAsync(RuleEngineSnapshot snapshot, Instant at, CancellationToken cancellationToken);

    /// <summary>The saved engine state (or why it cannot be read), or null when none was saved.</summary>
    Task<StoredSnapshot?> LoadSnapshotAsync(CancellationToken cancellationToken);
}

/// <summary>A stored rule: its JSON in the rule-file format, and who saved it when.</summary>
public sealed record StoredRule(string Id, string Json, Instant UpdatedAt, string UpdatedBy);

/// <summary>The saved engine state: the snapshot, or why the saved text could not be read.</summary>
public sealed record StoredSnapshot(Instant TakenAt, RuleEngineSnapshot? Snapshot, string? Error);
