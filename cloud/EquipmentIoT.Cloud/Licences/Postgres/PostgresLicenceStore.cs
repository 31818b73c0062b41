using System.Globalization;
using System.Text;
using System.Text.Json;
using EquipmentIoT.Cloud.Licences.Sqlite;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Storage.Postgres;
using Npgsql;
using NodaTime;
using static EquipmentIoT.Cloud.Licences.Sqlite.LicenceSchema;
using static EquipmentIoT.Cloud.Storage.Postgres.PostgresCommands;
using static EquipmentIoT.Cloud.Storage.Postgres.PostgresRecordValues;

namespace EquipmentIoT.Cloud.Licences.Postgres;

/// <summary>
/// The licence register and its reminders on PostgreSQL (component "licences"): the tables of the SQLite store column
/// for column (camelCase enumeration names, ISO dates and fixed-width instants as text), the same CHECKs, and the same
/// unique key on licence_notices, which decides between two instances racing to claim one reminder.
/// </summary>
public sealed class PostgresLicenceStore : ILicenceStore, IStoreInitializer
{
    internal static readonly PostgresMigration[] Migrations =
    [
        new(1, "Configuration licences and their reminders", """
            CREATE TABLE licences (
                id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                number         text COLLATE "C" NOT NULL UNIQUE,
                category       text NOT NULL CHECK (category IN ('classA', 'classB')),
                equipment_type text NOT NULL,
                holder         text NOT NULL,
                region         text COLLATE "C" NOT NULL,
                authority      text NOT NULL,
                issue_date     text COLLATE "C" NOT NULL,
                deadline       text COLLATE "C" NOT NULL,
                form           text NOT NULL CHECK (form IN ('original', 'copy')),
                device_id      text COLLATE "C",
                site_id        text COLLATE "C",
                managers       text NOT NULL,
                status         text NOT NULL CHECK (status IN ('active', 'fulfilled', 'revoked')),
                fulfilled_on   text COLLATE "C",
                revoked_on     text COLLATE "C",
                status_note    text,
                created        text COLLATE "C" NOT NULL,
                updated        text COLLATE "C" NOT NULL
            );
            CREATE INDEX licences_deadline ON licences (status, deadline);

            CREATE TABLE licence_notices (
                id             bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                licence_id     bigint  NOT NULL REFERENCES licences (id),
                deadline       text    COLLATE "C" NOT NULL,
                band           text    NOT NULL CHECK (band IN ('blue', 'yellow', 'orange', 'red')),
                kind           text    NOT NULL CHECK (kind IN ('entered', 'escalation')),
                escalation     integer NOT NULL CHECK (escalation >= 0),
                day            text    COLLATE "C" NOT NULL,
                at             text    COLLATE "C" NOT NULL,
                recipient      text    COLLATE "C" NOT NULL,
                recipient_name text,
                text           text    NOT NULL,
                state          text    NOT NULL CHECK (state IN ('pending', 'sent', 'unaddressed', 'cancelled')),
                message_id     text,
                sent_at        text    COLLATE "C",
                error          text,
                UNIQUE (licence_id, deadline, band, escalation, recipient)
            );
            CREATE INDEX licence_notices_pending ON licence_notices (state) WHERE state = 'pending';
            """),
    ];

    private const string Columns = """
        id, number, category, equipment_type, holder, region, authority, issue_date, deadline, form, device_id, site_id, managers,
        status, fulfilled_on, revoked_on, status_note, created, updated
        """;

    private const string NoticeColumns = """
        id, licence_id, deadline, band, kind, escalation, day, at, recipient, recipient_name, text, state, message_id, sent_at, error
        """;

    private readonly PostgresDatabase _db;

    public PostgresLicenceStore(PostgresDatabase database) => _db = database ?? throw new ArgumentNullException(nameof(database));

    /// <inheritdoc/>
    public Task InitializeAsync(CancellationToken cancellationToken) => PostgresMigrator.ApplyAsync(_db, Component, Migrations, cancellationToken);

    /// <inheritdoc/>
    public async Task<Licence> CreateAsync(LicenceDraft draft, Instant at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        return await SingleOrTakenAsync($"""
            INSERT INTO licences (number, category, equipment_type, holder, region, authority, issue_date, deadline, form, device_id, site_id,
                                  managers, status, created, updated)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'active', $13, $13)
            RETURNING {Columns}
            """, draft.Number, [.. Draft(draft), InstantText(at)], cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("INSERT … RETURNING returned no row");
    }

    /// <inheritdoc/>
    public Task<Licence?> UpdateAsync(long id, LicenceDraft draft, Instant at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        return SingleOrTakenAsync($"""
            UPDATE licences SET number = $1, category = $2, equipment_type = $3, holder = $4, region = $5, authority = $6, issue_date = $7,
                deadline = $8, form = $9, device_id = $10, site_id = $11, managers = $12, updated = $13
            WHERE id = $14
            RETURNING {Columns}
            """, draft.Number, [.. Draft(draft), InstantText(at), id], cancellationToken);
    }

    /// <inheritdoc/>
    public Task<Licence?> SetStatusAsync(long id, LicenceStatusChange change, Instant at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        // Fulfilling records the device; revoking keeps the one a fulfilled licence had.
        return SingleOrTakenAsync($"""
            UPDATE licences SET status = $1, status_note = $2, updated = $5,
                fulfilled_on = CASE WHEN $1 = 'fulfilled' THEN $3 ELSE fulfilled_on END,
                revoked_on   = CASE WHEN $1 = 'revoked'   THEN $3 ELSE revoked_on END,
                device_id    = COALESCE($4, device_id)
            WHERE id = $6
            RETURNING {Columns}
            """, null, [Name(change.Status), change.Note, DateText(change.On), change.DeviceId, InstantText(at), id], cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<Licence?> GetAsync(long id, CancellationToken cancellationToken) =>
        (await ListAsync("WHERE id = $1", [id], 1, cancellationToken).ConfigureAwait(false)).SingleOrDefault();

    /// <inheritdoc/>
    public async Task<Licence?> FindAsync(string number, CancellationToken cancellationToken) =>
        (await ListAsync(new LicenceQuery(Number: number, Limit: 1), cancellationToken).ConfigureAwait(false)).SingleOrDefault();

    /// <inheritdoc/>
    public Task<IReadOnlyList<Licence>> ListAsync(LicenceQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var where = new StringBuilder("WHERE true");
        var values = new List<object?>();
        void Filter(string clause, object? value)
        {
            if (value is null) return;
            values.Add(value);
            where.Append(" AND ").Append(clause).Append(values.Count.ToString(CultureInfo.InvariantCulture));
        }

        Filter("status = $", query.Status is { } s ? Name(s) : null);
        Filter("region = $", query.Region);
        Filter("category = $", query.Category is { } k ? Name(k) : null);
        Filter("site_id = $", query.SiteId);
        Filter("number = $", query.Number);
        Filter("deadline >= $", DateText(query.DeadlineFrom));
        Filter("deadline <= $", DateText(query.DeadlineTo));
        return ListAsync(where.ToString(), values, query.Limit, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<LicenceNotice>> NoticesAsync(long licenceId, CancellationToken cancellationToken) =>
        NoticesAsync("WHERE licence_id = $1", [licenceId], cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<LicenceNotice>> PendingAsync(CancellationToken cancellationToken) =>
        NoticesAsync("WHERE state = 'pending'", [], cancellationToken);

    /// <inheritdoc/>
    public Task<LicenceNotice?> TryClaimAsync(NoticeClaim claim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        // ON CONFLICT DO NOTHING: the unique key decides between two runs (or two instances) racing for the same
        // reminder; the loser gets no row back and sends nothing.
        return _db.RunAsync(async (c, tx, ct) => (await ReadAllAsync(c, tx, $"""
            INSERT INTO licence_notices (licence_id, deadline, band, kind, escalation, day, at, recipient, recipient_name, text, state)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
            ON CONFLICT (licence_id, deadline, band, escalation, recipient) DO NOTHING
            RETURNING {NoticeColumns}
            """, ReadNotice, ct, claim.LicenceId, DateText(claim.Deadline), Name(claim.Band), Name(claim.Kind), claim.Escalation, DateText(claim.Day),
            InstantText(claim.At), claim.Recipient, claim.RecipientName, claim.Text,
            Name(claim.Recipient.Length == 0 ? NoticeState.Unaddressed : NoticeState.Pending)).ConfigureAwait(false)).SingleOrDefault(), cancellationToken);
    }

    /// <inheritdoc/>
    public Task MarkSentAsync(long noticeId, string messageId, Instant at, CancellationToken cancellationToken) =>
        UpdateNoticeAsync("state = 'sent', message_id = $2, sent_at = $3, error = NULL", cancellationToken, noticeId, messageId, InstantText(at));

    /// <inheritdoc/>
    public Task MarkFailedAsync(long noticeId, string reason, CancellationToken cancellationToken) =>
        UpdateNoticeAsync("error = $2", cancellationToken, noticeId, reason);

    /// <inheritdoc/>
    public Task CancelAsync(long noticeId, string reason, CancellationToken cancellationToken) =>
        UpdateNoticeAsync("state = 'cancelled', error = $2", cancellationToken, noticeId, reason);

    // Only a pending reminder changes: a sent one is history. $1 is the notice's id.
    private Task<int> UpdateNoticeAsync(string set, CancellationToken cancellationToken, params object?[] values) =>
        _db.RunAsync((c, tx, ct) => ExecuteAsync(c, tx, $"UPDATE licence_notices SET {set} WHERE id = $1 AND state = 'pending'", ct, values),
            cancellationToken);

    private Task<IReadOnlyList<Licence>> ListAsync(string where, List<object?> values, int limit, CancellationToken cancellationToken)
    {
        var sql = $"SELECT {Columns} FROM licences {where} ORDER BY deadline, id LIMIT ${values.Count + 1}";
        object?[] array = [.. values, limit];
        return _db.RunAsync<IReadOnlyList<Licence>>(async (c, tx, ct) => await ReadAllAsync(c, tx, sql, Read, ct, array).ConfigureAwait(false), cancellationToken);
    }

    private Task<IReadOnlyList<LicenceNotice>> NoticesAsync(string where, object?[] values, CancellationToken cancellationToken) =>
        _db.RunAsync<IReadOnlyList<LicenceNotice>>(async (c, tx, ct) => await ReadAllAsync(c, tx,
            $"SELECT {NoticeColumns} FROM licence_notices {where} ORDER BY id", ReadNotice, ct, values).ConfigureAwait(false), cancellationToken);

    private async Task<Licence?> SingleOrTakenAsync(string sql, string? number, object?[] values, CancellationToken cancellationToken)
    {
        try
        {
            return await _db.RunAsync(async (c, tx, ct) => (await ReadAllAsync(c, tx, sql, Read, ct, values).ConfigureAwait(false)).SingleOrDefault(),
                cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (IsUniqueViolation(ex) && number is not null)
        {
            throw new LicenceNumberTakenException(number);
        }
    }

    // $1…$12 of the insert and the update.
    private static object?[] Draft(LicenceDraft d) =>
    [
        d.Number, Name(d.Category), d.EquipmentType, d.Holder, d.Region, d.Authority, DateText(d.IssueDate), DateText(d.Deadline), Name(d.Form),
        d.DeviceId, d.SiteId, JsonSerializer.Serialize(d.Managers, LicenceSchema.Json),
    ];

    private static Licence Read(NpgsqlDataReader r) =>
        new(r.GetInt64(0), r.GetString(1), Parse<LicenceCategory>(r.GetString(2)), r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6),
            ReadNullableDate(r, 7)!.Value, ReadNullableDate(r, 8)!.Value, Parse<LicenceForm>(r.GetString(9)), r.GetStringOrNull(10), r.GetStringOrNull(11),
            JsonSerializer.Deserialize<List<LicenceManager>>(r.GetString(12), LicenceSchema.Json) ?? [], Parse<LicenceStatus>(r.GetString(13)),
            ReadNullableDate(r, 14), ReadNullableDate(r, 15), r.GetStringOrNull(16), ReadInstant(r, 17), ReadInstant(r, 18));

    private static LicenceNotice ReadNotice(NpgsqlDataReader r) =>
        new(r.GetInt64(0), r.GetInt64(1), ReadNullableDate(r, 2)!.Value, Parse<LicenceBand>(r.GetString(3)), Parse<NoticeKind>(r.GetString(4)),
            r.GetInt32(5), ReadNullableDate(r, 6)!.Value, ReadInstant(r, 7), r.GetString(8), r.GetStringOrNull(9), r.GetString(10),
            Parse<NoticeState>(r.GetString(11)), r.GetStringOrNull(12), ReadNullableInstant(r, 13), r.GetStringOrNull(14));
}
