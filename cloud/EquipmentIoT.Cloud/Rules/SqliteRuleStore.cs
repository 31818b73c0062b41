using EquipmentIoT.Cloud.Rules.Engine;
using EquipmentIoT.Cloud.Rules.Parsing;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Storage.Sqlite;
using NodaTime;
using static EquipmentIoT.Cloud.Storage.Sqlite.SqliteRecordValues;

namespace EquipmentIoT.Cloud.Rules;

/// <summary>
/// Rules and the engine's snapshot in records.db (component <c>rules</c>). A rule is stored as JSON in the rule-file format, so that
/// it is read back through the same checks as a file; the snapshot is one row, replaced each time.
/// </summary>
public sealed class SqliteRuleStore : IRuleStore, IStoreInitializer
{
    /// <summary>The migration component name in schema_migrations.</summary>
    public const string Component = "rules";

    internal static readonly SqliteMigration[] Migrations =
    [
        new(1, "rules and the rule engine's snapshot", """
            CREATE TABLE rules (
                id         TEXT PRIMARY KEY,
                definition TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                updated_by TEXT NOT NULL
            ) WITHOUT ROWID;
            CREATE TABLE rule_engine_snapshot (
                id       INTEGER PRIMARY KEY CHECK (id = 1),
                taken_at TEXT NOT NULL,
                snapshot TEXT NOT NULL
            );
            """),
    ];

    private readonly SqliteDatabase _db;

    /// <summary>The store on a database file (records.db).</summary>
    public SqliteRuleStore(SqliteDatabase database) => _db = database ?? throw new ArgumentNullException(nameof(database));

    /// <inheritdoc/>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await SqliteMigrator.ApplyAsync(c, Component, Migrations, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<StoredRule>> ListAsync(CancellationToken cancellationToken)
    {
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var query = c.CreateCommand();
        query.CommandText = "SELECT id, definition, updated_at, updated_by FROM rules ORDER BY id";
        return await query.ReadAllAsync(r => new StoredRule(r.GetString(0), r.GetString(1), ReadInstant(r, 2), r.GetString(3)), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<RuleReadResult> LoadAsync(CancellationToken cancellationToken)
    {
        var rules = new List<RuleDefinition>();
        var errors = new List<string>();
        foreach (var row in await ListAsync(cancellationToken).ConfigureAwait(false))
        {
            var read = RuleDocuments.ParseJson($"[{row.Json}]", $"rules table, id '{row.Id}'");
            rules.AddRange(read.Rules);
            errors.AddRange(read.Errors);
        }

        return new RuleReadResult(rules, errors);
    }

    /// <inheritdoc/>
    public async Task SaveAsync(RuleDefinition rule, string actor, Instant at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rule);
        ArgumentException.ThrowIfNullOrEmpty(actor);
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var upsert = c.CreateCommand();
        upsert.CommandText = """
            INSERT INTO rules (id, definition, updated_at, updated_by) VALUES ($id, $definition, $at, $by)
            ON CONFLICT (id) DO UPDATE SET definition = excluded.definition, updated_at = excluded.updated_at, updated_by = excluded.updated_by
            """;
        Add(upsert, "$id", rule.Id);
        Add(upsert, "$definition", RuleWriter.ToJson(rule));
        Add(upsert, "$at", Text(at));
        Add(upsert, "$by", actor);
        await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var delete = c.CreateCommand();
        delete.CommandText = "DELETE FROM rules WHERE id = $id";
        Add(delete, "$id", id);
        return await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <inheritdoc/>
    public async Task SaveSnapshotAsync(RuleEngineSnapshot snapshot, Instant at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var upsert = c.CreateCommand();
        upsert.CommandText = """
            INSERT INTO rule_engine_snapshot (id, taken_at, snapshot) VALUES (1, $at, $snapshot)
            ON CONFLICT (id) DO UPDATE SET taken_at = excluded.taken_at, snapshot = excluded.snapshot
            """;
        Add(upsert, "$at", Text(at));
        Add(upsert, "$snapshot", snapshot.ToJson());
        await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<StoredSnapshot?> LoadSnapshotAsync(CancellationToken cancellationToken)
    {
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var query = c.CreateCommand();
        query.CommandText = "SELECT taken_at, snapshot FROM rule_engine_snapshot WHERE id = 1";
        var rows = await query.ReadAllAsync(r => (At: ReadInstant(r, 0), Json: r.GetString(1)), cancellationToken).ConfigureAwait(false);
        if (rows.Count == 0) return null;
        var snapshot = RuleEngineSnapshot.FromJson(rows[0].Json, out var error);
        return new StoredSnapshot(rows[0].At, snapshot, error);
    }
}
