using System.Globalization;
using System.Text;
using EquipmentIoT.Cloud.Rules;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Storage.Postgres;
using Npgsql;
using NodaTime;
using static EquipmentIoT.Cloud.Storage.Postgres.PostgresCommands;
using static EquipmentIoT.Cloud.Storage.Postgres.PostgresRecordValues;

namespace EquipmentIoT.Cloud.Alarms;

/// <summary>
/// Alarms on PostgreSQL (component <c>alarms</c>), the tables of <see cref="SqliteAlarmStore"/> column for column
/// (open and condition_active stay integers 0/1, so that a dashboard's <c>WHERE open = 1</c> runs on both): one row
/// per alarm, a row per transition, a partial unique index allowing one open alarm per (rule, device) however many
/// instances write, and updates that check the row's version (optimistic).
/// </summary>
public sealed class PostgresAlarmStore : IAlarmStore, IStoreInitializer
{
    /// <summary>The migration component name in schema_migrations.</summary>
    public const string Component = "alarms";

    internal static readonly PostgresMigration[] Migrations =
    [
        new(1, "alarms and their transitions", """
            CREATE TABLE alarms (
                id                  bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                rule_id             text    COLLATE "C" NOT NULL,
                device              text    COLLATE "C" NOT NULL,
                subject_kind        text    NOT NULL,
                device_class        text    COLLATE "C",
                site                text    COLLATE "C",
                severity            text    NOT NULL,
                severity_rank       integer NOT NULL,
                state               text    NOT NULL,
                open                integer NOT NULL,
                condition_active    integer NOT NULL,
                raised_at           text    COLLATE "C" NOT NULL,
                changed_at          text    COLLATE "C" NOT NULL,
                value               double precision,
                reason              text    NOT NULL,
                recent_toggles      text    NOT NULL,
                toggle_count        integer NOT NULL,
                escalation_level    integer NOT NULL,
                acknowledged_at     text    COLLATE "C",
                acknowledged_by     text,
                acknowledge_comment text,
                shelved_until       text    COLLATE "C",
                shelved_from        text,
                resolved_at         text    COLLATE "C",
                resolved_by         text,
                version             bigint  NOT NULL
            );
            CREATE UNIQUE INDEX alarms_one_open ON alarms (rule_id, device) WHERE open = 1;
            CREATE INDEX alarms_key ON alarms (rule_id, device, id);
            CREATE INDEX alarms_device ON alarms (device, id);
            CREATE INDEX alarms_site ON alarms (site, id);
            CREATE INDEX alarms_open ON alarms (open, severity_rank, id);
            CREATE TABLE alarm_transitions (
                id         bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                alarm_id   bigint  NOT NULL REFERENCES alarms (id),
                from_state text,
                to_state   text    NOT NULL,
                at         text    COLLATE "C" NOT NULL,
                actor      text    NOT NULL,
                comment    text,
                action     text    NOT NULL,
                level      integer
            );
            CREATE INDEX alarm_transitions_alarm ON alarm_transitions (alarm_id, id);
            """),
    ];

    private const string Columns = AlarmColumns.Read;

    // $1…$24 in this order (Values); the update adds $25 id and $26 version.
    private const string AssignedColumns = """
        rule_id, device, subject_kind, device_class, site, severity, severity_rank, state, open, condition_active,
        raised_at, changed_at, value, reason, recent_toggles, toggle_count, escalation_level, acknowledged_at, acknowledged_by,
        acknowledge_comment, shelved_until, shelved_from, resolved_at, resolved_by
        """;

    private readonly PostgresDatabase _db;

    public PostgresAlarmStore(PostgresDatabase database) => _db = database ?? throw new ArgumentNullException(nameof(database));

    /// <inheritdoc/>
    public Task InitializeAsync(CancellationToken cancellationToken) => PostgresMigrator.ApplyAsync(_db, Component, Migrations, cancellationToken);

    /// <inheritdoc/>
    public Task<Alarm?> LatestAsync(string ruleId, string device, CancellationToken cancellationToken) =>
        _db.RunAsync(async (c, tx, ct) => (await ReadAllAsync(c, tx,
            $"SELECT {Columns} FROM alarms WHERE rule_id = $1 AND device = $2 ORDER BY open DESC, id DESC LIMIT 1", Read, ct, ruleId, device)
            .ConfigureAwait(false)).FirstOrDefault(), cancellationToken);

    /// <inheritdoc/>
    public async Task<Alarm> SaveAsync(AlarmStep change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var alarm = change.Alarm;
        try
        {
            var id = await _db.RunAsync(async (c, tx, ct) =>
            {
                var id = alarm.Id == 0 ? await InsertAsync(c, tx, alarm, ct).ConfigureAwait(false) : await UpdateAsync(c, tx, alarm, ct).ConfigureAwait(false);
                foreach (var t in change.Transitions)
                {
                    await ExecuteAsync(c, tx, """
                        INSERT INTO alarm_transitions (alarm_id, from_state, to_state, at, actor, comment, action, level)
                        VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                        """, ct, id, t.From?.ToString(), t.To.ToString(), InstantText(t.At), t.Actor, t.Comment, t.Action.ToString(), t.Level)
                        .ConfigureAwait(false);
                }
                return id;
            }, cancellationToken).ConfigureAwait(false);
            return alarm with { Id = id, Version = alarm.Version + 1 };
        }
        catch (PostgresException e) when (IsUniqueViolation(e))
        {
            // The partial unique index: another writer opened an alarm for this (rule, device) first.
            throw new AlarmConflictException($"an open alarm of rule '{alarm.RuleId}' for '{alarm.Device}' exists already", e);
        }
    }

    /// <inheritdoc/>
    public Task<Alarm?> GetAsync(long id, CancellationToken cancellationToken) =>
        _db.RunAsync((c, tx, ct) => GetAsync(c, tx, id, ct), cancellationToken);

    /// <inheritdoc/>
    public Task<AlarmDetail?> GetDetailAsync(long id, CancellationToken cancellationToken) =>
        _db.RunAsync(async (c, tx, ct) =>
        {
            if (await GetAsync(c, tx, id, ct).ConfigureAwait(false) is not { } alarm) return null;
            var transitions = await ReadAllAsync(c, tx,
                "SELECT alarm_id, from_state, to_state, at, actor, comment, action, level FROM alarm_transitions WHERE alarm_id = $1 ORDER BY id",
                r => new AlarmTransition(r.GetInt64(0), r.IsDBNull(1) ? null : Enum.Parse<AlarmState>(r.GetString(1)), Enum.Parse<AlarmState>(r.GetString(2)),
                    ReadInstant(r, 3), r.GetString(4), r.GetStringOrNull(5), Enum.Parse<AlarmAction>(r.GetString(6)), r.IsDBNull(7) ? null : r.GetInt32(7)),
                ct, id).ConfigureAwait(false);
            return new AlarmDetail(alarm, transitions);
        }, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<Alarm>> ListAsync(AlarmQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var where = new StringBuilder();
        var values = new List<object?>();
        void Filter(string column, object? value)
        {
            if (value is null) return;
            values.Add(value);
            where.Append(where.Length == 0 ? "WHERE " : " AND ").Append(column).Append(values.Count.ToString(CultureInfo.InvariantCulture));
        }

        Filter("open = $", query.Open is { } open ? (open ? 1 : 0) : null);
        Filter("device = $", query.Device);
        Filter("site = $", query.Site);
        Filter("severity = $", query.Severity?.ToString());
        Filter("state = $", query.State?.ToString());
        Filter("rule_id = $", query.RuleId);
        Filter("raised_at >= $", query.From is { } from ? InstantText(from) : null);
        Filter("raised_at < $", query.To is { } to ? InstantText(to) : null);
        var order = query.Open == true ? "severity_rank, id DESC" : "id DESC";
        values.Add(Math.Clamp(query.Limit, 1, 10_000));
        var sql = $"SELECT {Columns} FROM alarms {where} ORDER BY {order} LIMIT ${values.Count}";
        var array = values.ToArray();
        return _db.RunAsync<IReadOnlyList<Alarm>>(async (c, tx, ct) => await ReadAllAsync(c, tx, sql, Read, ct, array).ConfigureAwait(false), cancellationToken);
    }

    private static async Task<long> InsertAsync(NpgsqlConnection c, NpgsqlTransaction tx, Alarm a, CancellationToken cancellationToken) =>
        (long)(await ScalarAsync(c, tx, $"""
            INSERT INTO alarms ({AssignedColumns}, version)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, 1)
            RETURNING id
            """, cancellationToken, Values(a)).ConfigureAwait(false))!;

    private static async Task<long> UpdateAsync(NpgsqlConnection c, NpgsqlTransaction tx, Alarm a, CancellationToken cancellationToken)
    {
        var updated = await ExecuteAsync(c, tx, $"""
            UPDATE alarms SET ({AssignedColumns}, version) =
                ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, version + 1)
            WHERE id = $25 AND version = $26
            """, cancellationToken, [.. Values(a), a.Id, a.Version]).ConfigureAwait(false);
        return updated == 1 ? a.Id : throw new AlarmConflictException($"alarm {a.Id} changed since version {a.Version} was read");
    }

    private static object?[] Values(Alarm a) =>
    [
        a.RuleId, a.Device, a.SubjectKind.ToString(), a.DeviceClass, a.Site, a.Severity.ToString(), (int)a.Severity, a.State.ToString(),
        a.IsOpen ? 1 : 0, a.ConditionActive ? 1 : 0, InstantText(a.RaisedAt), InstantText(a.ChangedAt), a.Value, a.Reason,
        WriteToggles(a.RecentToggles), a.ToggleCount, a.EscalationLevel, InstantText(a.AcknowledgedAt), a.AcknowledgedBy, a.AcknowledgeComment,
        InstantText(a.ShelvedUntil), a.ShelvedFrom?.ToString(), InstantText(a.ResolvedAt), a.ResolvedBy,
    ];

    private static async Task<Alarm?> GetAsync(NpgsqlConnection c, NpgsqlTransaction tx, long id, CancellationToken cancellationToken) =>
        (await ReadAllAsync(c, tx, $"SELECT {Columns} FROM alarms WHERE id = $1", Read, cancellationToken, id).ConfigureAwait(false)).FirstOrDefault();

    private static Alarm Read(NpgsqlDataReader r) => new(
        r.GetInt64(0), r.GetString(1), r.GetString(2), Enum.Parse<RuleSubjectKind>(r.GetString(3)), r.GetStringOrNull(4), r.GetStringOrNull(5),
        Enum.Parse<AlarmSeverity>(r.GetString(6)), Enum.Parse<AlarmState>(r.GetString(7)), r.GetInt32(8) != 0, ReadInstant(r, 9), ReadInstant(r, 10),
        r.IsDBNull(11) ? null : r.GetDouble(11), r.GetString(12), ReadToggles(r.GetString(13)), r.GetInt32(14), r.GetInt32(15),
        ReadNullableInstant(r, 16), r.GetStringOrNull(17), r.GetStringOrNull(18), ReadNullableInstant(r, 19),
        r.IsDBNull(20) ? null : Enum.Parse<AlarmState>(r.GetString(20)), ReadNullableInstant(r, 21), r.GetStringOrNull(22), r.GetInt64(23));

    // As SqliteAlarmStore: Unix ticks, comma-separated.
    private static string WriteToggles(IReadOnlyList<Instant> toggles) =>
        string.Join(',', toggles.Select(t => t.ToUnixTimeTicks().ToString(CultureInfo.InvariantCulture)));

    private static Instant[] ReadToggles(string text) => text.Length == 0 ? []
        : [.. text.Split(',').Select(t => Instant.FromUnixTimeTicks(long.Parse(t, CultureInfo.InvariantCulture)))];
}
