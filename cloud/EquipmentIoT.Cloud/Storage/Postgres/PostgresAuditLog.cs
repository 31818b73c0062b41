using System.Text;
using static EquipmentIoT.Cloud.Storage.Postgres.PostgresCommands;
using static EquipmentIoT.Cloud.Storage.Postgres.PostgresRecordValues;

namespace EquipmentIoT.Cloud.Storage.Postgres;

/// <summary>
/// The audit log on PostgreSQL, table <c>audit_log</c> as in SQLite. Append-only by construction: this class has
/// no UPDATE or DELETE, and the schema's triggers abort any UPDATE, DELETE or TRUNCATE of <c>audit_log</c> from any
/// client (psql included), so a change to history needs a deliberate schema change that itself shows.
/// </summary>
public sealed class PostgresAuditLog : IAuditLog, IStoreInitializer
{
    /// <summary>The migration component name in schema_migrations.</summary>
    public const string Component = "audit";

    private const int MaxLimit = 10_000;
    private const int MaxFieldLength = 512;

    internal static readonly PostgresMigration[] Migrations =
    [
        new(1, "append-only audit log", """
            CREATE TABLE audit_log (
                id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                at      text COLLATE "C" NOT NULL,
                actor   text COLLATE "C" NOT NULL,
                role    text,
                action  text COLLATE "C" NOT NULL,
                target  text,
                outcome text NOT NULL,
                remote  text
            );
            CREATE INDEX audit_log_by_at ON audit_log (at);
            CREATE INDEX audit_log_by_actor ON audit_log (actor, at);
            CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $body$
            BEGIN
                RAISE EXCEPTION 'the audit log is append-only: rows cannot be %', CASE TG_OP WHEN 'UPDATE' THEN 'updated' ELSE 'deleted' END;
            END
            $body$;
            CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
            CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
            CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
            """),
    ];

    private readonly PostgresDatabase _db;

    public PostgresAuditLog(PostgresDatabase database) => _db = database ?? throw new ArgumentNullException(nameof(database));

    /// <inheritdoc/>
    public Task InitializeAsync(CancellationToken cancellationToken) => PostgresMigrator.ApplyAsync(_db, Component, Migrations, cancellationToken);

    /// <inheritdoc/>
    public Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentException.ThrowIfNullOrEmpty(entry.Actor);
        ArgumentException.ThrowIfNullOrEmpty(entry.Action);
        ArgumentException.ThrowIfNullOrEmpty(entry.Outcome);
        return _db.RunAsync((c, tx, ct) => ExecuteAsync(c, tx, """
            INSERT INTO audit_log (at, actor, role, action, target, outcome, remote) VALUES ($1, $2, $3, $4, $5, $6, $7)
            """, ct, InstantText(entry.At), Clip(entry.Actor), Clip(entry.Role), Clip(entry.Action), Clip(entry.Target), Clip(entry.Outcome),
            Clip(entry.Remote)), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<AuditRecord>> QueryAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var where = new StringBuilder();
        var values = new List<object?>();
        void Condition(string sql, object value)
        {
            values.Add(value);
            where.Append(where.Length == 0 ? "WHERE " : " AND ").Append(sql.Replace("$p", "$" + values.Count, StringComparison.Ordinal));
        }
        if (query.Actor is not null) Condition("actor = $p", query.Actor);
        if (!string.IsNullOrEmpty(query.ActionPrefix)) Condition("left(action, length($p)) = $p", query.ActionPrefix);
        if (query.From is { } from) Condition("at >= $p", InstantText(from));
        if (query.To is { } to) Condition("at < $p", InstantText(to));
        values.Add(Math.Clamp(query.Limit, 1, MaxLimit));
        var sql = $"SELECT id, at, actor, role, action, target, outcome, remote FROM audit_log {where} ORDER BY id DESC LIMIT ${values.Count}";
        var array = values.ToArray();
        return _db.RunAsync<IReadOnlyList<AuditRecord>>(async (c, tx, ct) => await ReadAllAsync(c, tx, sql,
            r => new AuditRecord(r.GetInt64(0), ReadInstant(r, 1), r.GetString(2), r.GetStringOrNull(3), r.GetString(4), r.GetStringOrNull(5),
                r.GetString(6), r.GetStringOrNull(7)), ct, array).ConfigureAwait(false), cancellationToken);
    }

    private static string? Clip(string? value) => value is { Length: > MaxFieldLength } ? value[..MaxFieldLength] + "…" : value;
}
