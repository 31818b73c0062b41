using System.Globalization;
using EquipmentIoT.Cloud.Rules;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using NodaTime;
using static EquipmentIoT.Cloud.Storage.Sqlite.SqliteRecordValues;

namespace EquipmentIoT.Cloud.Alarms;

/// <summary>
/// Alarms in records.db (component <c>alarms</c>): one row per alarm, a row per transition, and a partial unique index that
/// allows one open alarm per (rule, device) however many instances write. Updates check the row's version (optimistic).
/// </summary>
public sealed partial class SqliteAlarmStore : IAlarmStore, IStoreInitializer
{
    /// <summary>The migration component name in schema_migrations.</summary>
    public const string Component = "alarms";

    internal static readonly SqliteMigration[] Migrations =
    [
        new(1, "alarms and their transitions", """
            CREATE TABLE alarms (
                id                  INTEGER PRIMARY KEY AUTOINCREMENT,
                rule_id             TEXT    NOT NULL,
                device              TEXT    NOT NULL,
                subject_kind        TEXT    NOT NULL,
                device_class        TEXT,
                site                TEXT,
                severity            TEXT    NOT NULL,
                severity_rank       INTEGER NOT NULL,
                state               TEXT    NOT NULL,
                open                INTEGER NOT NULL,
                condition_active    INTEGER NOT NULL,
                raised_at           TEXT    NOT NULL,
                changed_at          TEXT    NOT NULL,
                value               REAL,
                reason              TEXT    NOT NULL,
                recent_toggles      TEXT    NOT NULL,
                toggle_count        INTEGER NOT NULL,
                escalation_level    INTEGER NOT NULL,
                acknowledged_at     TEXT,
                acknowledged_by     TEXT,
                acknowledge_comment TEXT,
                shelved_until       TEXT,
                shelved_from        TEXT,
                resolved_at         TEXT,
                resolved_by         TEXT,
                version             INTEGER NOT NULL
            );
            CREATE UNIQUE INDEX alarms_one_open ON alarms (rule_id, device) WHERE open = 1;
            CREATE INDEX alarms_key ON alarms (rule_id, device, id);
            CREATE INDEX alarms_device ON alarms (device, id);
            CREATE INDEX alarms_site ON alarms (site, id);
            CREATE INDEX alarms_open ON alarms (open, severity_rank, id);
            CREATE TABLE alarm_transitions (
                id         INTEGER PRIMARY KEY AUTOINCREMENT,
                alarm_id   INTEGER NOT NULL REFERENCES alarms (id),
                from_state TEXT,
                to_state   TEXT    NOT NULL,
                at         TEXT    NOT NULL,
                actor      TEXT    NOT NULL,
                comment    TEXT,
                action     TEXT    NOT NULL,
                level      INTEGER
            );
            CREATE INDEX alarm_transitions_alarm ON alarm_transitions (alarm_id, id);
            """),
    ];

    private const string Columns = AlarmColumns.Read;

    private readonly SqliteDatabase _db;

    /// <summary>The store on a database file (records.db).</summary>
    public SqliteAlarmStore(SqliteDatabase database) => _db = database ?? throw new ArgumentNullException(nameof(database));

    /// <inheritdoc/>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await SqliteMigrator.ApplyAsync(c, Component, Migrations, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<Alarm?> LatestAsync(string ruleId, string device, CancellationToken cancellationToken)
    {
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var query = c.CreateCommand();
        query.CommandText = $"SELECT {Columns} FROM alarms WHERE rule_id = $rule AND device = $device ORDER BY open DESC, id DESC LIMIT 1";
        Add(query, "$rule", ruleId);
        Add(query, "$device", device);
        var rows = await query.ReadAllAsync(Read, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    /// <inheritdoc/>
    public async Task<Alarm> SaveAsync(AlarmStep change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var alarm = change.Alarm;
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = c.BeginTransaction(deferred: false);
        long id;
        try
        {
            id = alarm.Id == 0 ? await InsertAsync(c, tx, alarm, cancellationToken).ConfigureAwait(false)
                : await UpdateAsync(c, tx, alarm, cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 19)
        {
            // SQLITE_CONSTRAINT: the partial unique index — another writer opened an alarm for this (rule, device) first.
            throw new AlarmConflictException($"an open alarm of rule '{alarm.RuleId}' for '{alarm.Device}' exists already", e);
        }

        foreach (var t in change.Transitions) await InsertTransitionAsync(c, tx, t with { AlarmId = id }, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return alarm with { Id = id, Version = alarm.Version + 1 };
    }

    /// <inheritdoc/>
    public async Task<Alarm?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await GetAsync(c, id, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<AlarmDetail?> GetDetailAsync(long id, CancellationToken cancellationToken)
    {
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (await GetAsync(c, id, cancellationToken).ConfigureAwait(false) is not { } alarm) return null;
        await using var query = c.CreateCommand();
        query.CommandText = "SELECT alarm_id, from_state, to_state, at, actor, comment, action, level FROM alarm_transitions WHERE alarm_id = $id ORDER BY id";
        Add(query, "$id", id);
        var transitions = await query.ReadAllAsync(r => new AlarmTransition(r.GetInt64(0), r.IsDBNull(1) ? null : Enum.Parse<AlarmState>(r.GetString(1)),
            Enum.Parse<AlarmState>(r.GetString(2)), ReadInstant(r, 3), r.GetString(4), r.GetStringOrNull(5), Enum.Parse<AlarmAction>(r.GetString(6)),
            r.IsDBNull(7) ? null : r.GetInt32(7)), cancellationToken).ConfigureAwait(false);
        return new AlarmDetail(alarm, transitions);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<Alarm>> ListAsync(AlarmQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = c.CreateCommand();
        var where = new List<string>();
        void Filter(string sql, string name, object? value)
        {
            if (value is null) return;
            where.Add(sql);
            Add(command, name, value);
        }

        Filter("open = $open", "$open", query.Open is { } open ? (open ? 1 : 0) : null);
        Filter("device = $device", "$device", query.Device);
        Filter("site = $site", "$site", query.Site);
        Filter("severity = $severity", "$severity", query.Severity?.ToString());
        Filter("state = $state", "$state", query.State?.ToString());
        Filter("rule_id = $rule", "$rule", query.RuleId);
        Filter("raised_at >= $from", "$from", query.From is { } from ? Text(from) : null);
        Filter("raised_at < $to", "$to", query.To is { } to ? Text(to) : null);
        var order = query.Open == true ? "severity_rank, id DESC" : "id DESC";
        command.CommandText = $"SELECT {Columns} FROM alarms {(where.Count == 0 ? "" : "WHERE " + string.Join(" AND ", where))} ORDER BY {order} LIMIT $limit";
        Add(command, "$limit", Math.Clamp(query.Limit, 1, 10_000));
        return await command.ReadAllAsync(Read, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<Alarm?> GetAsync(SqliteConnection c, long id, CancellationToken cancellationToken)
    {
        await using var query = c.CreateCommand();
        query.CommandText = $"SELECT {Columns} FROM alarms WHERE id = $id";
        Add(query, "$id", id);
        var rows = await query.ReadAllAsync(Read, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    private static Alarm Read(SqliteDataReader r) => new(
        r.GetInt64(0), r.GetString(1), r.GetString(2), Enum.Parse<RuleSubjectKind>(r.GetString(3)), r.GetStringOrNull(4), r.GetStringOrNull(5),
        Enum.Parse<AlarmSeverity>(r.GetString(6)), Enum.Parse<AlarmState>(r.GetString(7)), r.GetInt64(8) != 0, ReadInstant(r, 9), ReadInstant(r, 10),
        r.IsDBNull(11) ? null : r.GetDouble(11), r.GetString(12), ReadToggles(r.GetString(13)), r.GetInt32(14), r.GetInt32(15),
        ReadNullableInstant(r, 16), r.GetStringOrNull(17), r.GetStringOrNull(18), ReadNullableInstant(r, 19),
        r.IsDBNull(20) ? null : Enum.Parse<AlarmState>(r.GetString(20)), ReadNullableInstant(r, 21), r.GetStringOrNull(22), r.GetInt64(23));

    // Unix ticks, comma-separated: a short list rewritten with its row.
    private static string WriteToggles(IReadOnlyList<Instant> toggles) =>
        string.Join(',', toggles.Select(t => t.ToUnixTimeTicks().ToString(CultureInfo.InvariantCulture)));

    private static Instant[] ReadToggles(string text) => text.Length == 0 ? []
        : [.. text.Split(',').Select(t => Instant.FromUnixTimeTicks(long.Parse(t, CultureInfo.InvariantCulture)))];
}
