using System.Text;
using static EquipmentIoT.Cloud.Storage.Sqlite.SqliteRecordValues;

namespace EquipmentIoT.Cloud.Storage.Sqlite;

/// <summary>
/// The audit log in records.db. Append-only by construction: this class has no UPDATE or DELETE, and the
/// schema's triggers abort any UPDATE or DELETE of <c>audit_log</c> from any client (the sqlite3 shell
/// included), so a change to history needs a deliberate schema change that itself shows.
/// </summary>
public sealed class SqliteAuditLog : IAuditLog, IStoreInitializer
{
    /// <summary>The migration component name in schema_migrations.</summary>
    public const string Component = "audit";

    private const int MaxLimit = 10_000;
    private const int MaxFieldLength = 512;

    internal static readonly SqliteMigration[] Migrations =
    [
        new(1, "append-only audit log", """
            CREATE TABLE audit_log (
                id      INTEGER PRIMARY KEY AUTOINCREMENT,
                at      TEXT NOT NULL,
                actor   TEXT NOT NULL,
                role    TEXT,
                action  TEXT NOT NULL,
                target  TEXT,
                outcome TEXT NOT NULL,
                remote  TEXT
            );
            CREATE INDEX audit_log_by_at ON audit_log (at);
            CREATE INDEX audit_log_by_actor ON audit_log (actor, at);
            CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: rows cannot be updated'); END;
            CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
            BEGIN SELECT RAISE(ABORT, 'the audit log is append-only: rows cannot be deleted'); END;
            """),
    ];

    private readonly SqliteDatabase _db;

    public SqliteAuditLog(SqliteDatabase database) => _db = database ?? throw new ArgumentNullException(nameof(database));

    /// <inheritdoc/>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await SqliteMigrator.ApplyAsync(c, Component, Migrations, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentException.ThrowIfNullOrEmpty(entry.Actor);
        ArgumentException.ThrowIfNullOrEmpty(entry.Action);
        ArgumentException.ThrowIfNullOrEmpty(entry.Outcome);
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var insert = c.CreateCommand();
        insert.CommandText = """
            INSERT INTO audit_log (at, actor, role, action, target, outcome, remote)
            VALUES ($at, $actor, $role, $action, $target, $outcome, $remote)
            """;
        Add(insert, "$at", Text(entry.At));
        Add(insert, "$actor", Clip(entry.Actor));
        Add(insert, "$role", Clip(entry.Role));
        Add(insert, "$action", Clip(entry.Action));
        Add(insert, "$target", Clip(entry.Target));
        Add(insert, "$outcome", Clip(entry.Outcome));
        Add(insert, "$remote", Clip(entry.Remote));
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<AuditRecord>> QueryAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var select = c.CreateCommand();
        var where = new StringBuilder();
        void Condition(string sql) => where.Append(where.Length == 0 ? "WHERE " : " AND ").Append(sql);
        if (query.Actor is not null)
        {
            Condition("actor = $actor");
            Add(select, "$actor", query.Actor);
        }
        if (!string.IsNullOrEmpty(query.ActionPrefix))
        {
            Condition("substr(action, 1, length($prefix)) = $prefix");
            Add(select, "$prefix", query.ActionPrefix);
        }
        if (query.From is { } from)
        {
            Condition("at >= $from");
            Add(select, "$from", Text(from));
        }
        if (query.To is { } to)
        {
            Condition("at < $to");
            Add(select, "$to", Text(to));
        }
        select.CommandText = $"SELECT id, at, actor, role, action, target, outcome, remote FROM audit_log {where} ORDER BY id DESC LIMIT $limit";
        Add(select, "$limit", Math.Clamp(query.Limit, 1, MaxLimit));
        var records = new List<AuditRecord>();
        await using var r = await select.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            records.Add(new AuditRecord(r.GetInt64(0), ReadInstant(r, 1), r.GetString(2), r.GetStringOrNull(3), r.GetString(4),
                r.GetStringOrNull(5), r.GetString(6), r.GetStringOrNull(7)));
        }
        return records;
    }

    // An audit row is evidence, not a sink for whatever a client sends: a forged 10 MB route value is cut.
    private static string? Clip(string? value) => value is { Length: > MaxFieldLength } ? value[..MaxFieldLength] + "…" : value;
}
