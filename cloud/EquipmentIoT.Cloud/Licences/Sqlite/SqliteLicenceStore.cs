using System.Text;
using System.Text.Json;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using NodaTime;
using NodaTime.Text;
using static EquipmentIoT.Cloud.Licences.Sqlite.LicenceSchema;
using static EquipmentIoT.Cloud.Storage.Sqlite.SqliteRecordValues;

namespace EquipmentIoT.Cloud.Licences.Sqlite;

/// <summary>The licence register in records.db (<see cref="LicenceSchema"/>); the reminders are in the other half of this class.</summary>
public sealed partial class SqliteLicenceStore : ILicenceStore, IStoreInitializer
{
    private const int SqliteConstraintUnique = 2067;

    private const string Columns = """
        id, number, category, equipment_type, holder, region, authority, issue_date, deadline, form, device_id, site_id, managers,
        status, fulfilled_on, revoked_on, status_note, created, updated
        """;

    private readonly SqliteDatabase _db;

    public SqliteLicenceStore(SqliteDatabase database) => _db = database ?? throw new ArgumentNullException(nameof(database));

    /// <inheritdoc/>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await SqliteMigrator.ApplyAsync(c, Component, Migrations, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<Licence> CreateAsync(LicenceDraft draft, Instant at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var insert = c.CreateCommand();
        insert.CommandText = $"""
            INSERT INTO licences (number, category, equipment_type, holder, region, authority, issue_date, deadline, form, device_id, site_id,
                                  managers, status, created, updated)
            VALUES ($number, $category, $equipment, $holder, $region, $authority, $issued, $deadline, $form, $device, $site,
                    $managers, 'active', $at, $at)
            RETURNING {Columns}
            """;
        AddDraft(insert, draft);
        Add(insert, "$at", Text(at));
        return await SingleOrTakenAsync(insert, draft.Number, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("INSERT … RETURNING returned no row");
    }

    /// <inheritdoc/>
    public async Task<Licence?> UpdateAsync(long id, LicenceDraft draft, Instant at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(draft);
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var update = c.CreateCommand();
        update.CommandText = $"""
            UPDATE licences SET number = $number, category = $category, equipment_type = $equipment, holder = $holder, region = $region,
                authority = $authority, issue_date = $issued, deadline = $deadline, form = $form, device_id = $device, site_id = $site,
                managers = $managers, updated = $at
            WHERE id = $id
            RETURNING {Columns}
            """;
        AddDraft(update, draft);
        Add(update, "$at", Text(at));
        Add(update, "$id", id);
        return await SingleOrTakenAsync(update, draft.Number, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<Licence?> SetStatusAsync(long id, LicenceStatusChange change, Instant at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var update = c.CreateCommand();
        // Fulfilling records the device; revoking keeps the one a fulfilled licence had.
        update.CommandText = $"""
            UPDATE licences SET status = $status, status_note = $note, updated = $at,
                fulfilled_on = CASE WHEN $status = 'fulfilled' THEN $on ELSE fulfilled_on END,
                revoked_on   = CASE WHEN $status = 'revoked'   THEN $on ELSE revoked_on END,
                device_id    = COALESCE($device, device_id)
            WHERE id = $id
            RETURNING {Columns}
            """;
        Add(update, "$status", Name(change.Status));
        Add(update, "$note", change.Note);
        Add(update, "$on", Text((LocalDate?)change.On));
        Add(update, "$device", change.DeviceId);
        Add(update, "$at", Text(at));
        Add(update, "$id", id);
        return await SingleOrTakenAsync(update, null, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<Licence?> GetAsync(long id, CancellationToken cancellationToken) =>
        (await ListAsync("WHERE id = $id", q => Add(q, "$id", id), 1, cancellationToken).ConfigureAwait(false)).SingleOrDefault();

    /// <inheritdoc/>
    public async Task<Licence?> FindAsync(string number, CancellationToken cancellationToken) =>
        (await ListAsync(new LicenceQuery(Number: number, Limit: 1), cancellationToken).ConfigureAwait(false)).SingleOrDefault();

    /// <inheritdoc/>
    public Task<IReadOnlyList<Licence>> ListAsync(LicenceQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var where = new StringBuilder("WHERE 1 = 1");
        var parameters = new List<(string Name, object? Value)>();
        void Filter(string clause, string name, object? value)
        {
            if (value is null) return;
            where.Append(" AND ").Append(clause);
            parameters.Add((name, value));
        }

        Filter("status = $status", "$status", query.Status is { } s ? Name(s) : null);
        Filter("region = $region", "$region", query.Region);
        Filter("category = $category", "$category", query.Category is { } k ? Name(k) : null);
        Filter("site_id = $site", "$site", query.SiteId);
        Filter("number = $number", "$number", query.Number);
        Filter("deadline >= $from", "$from", query.DeadlineFrom is { } from ? LocalDatePattern.Iso.Format(from) : null);
        Filter("deadline <= $to", "$to", query.DeadlineTo is { } to ? LocalDatePattern.Iso.Format(to) : null);
        return ListAsync(where.ToString(), q => parameters.ForEach(p => Add(q, p.Name, p.Value)), query.Limit, cancellationToken);
    }

    private async Task<IReadOnlyList<Licence>> ListAsync(string where, Action<SqliteCommand> bind, int limit, CancellationToken cancellationToken)
    {
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var query = c.CreateCommand();
        query.CommandText = $"SELECT {Columns} FROM licences {where} ORDER BY deadline, id LIMIT $limit";
        bind(query);
        Add(query, "$limit", limit);
        var licences = new List<Licence>();
        await using var r = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false)) licences.Add(Read(r));
        return licences;
    }

    private static async Task<Licence?> SingleOrTakenAsync(SqliteCommand command, string? number, CancellationToken cancellationToken)
    {
        try
        {
            await using var r = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return await r.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(r) : null;
        }
        catch (SqliteException ex) when (ex.SqliteExtendedErrorCode == SqliteConstraintUnique && number is not null)
        {
            throw new LicenceNumberTakenException(number);
        }
    }

    private static void AddDraft(SqliteCommand command, LicenceDraft draft)
    {
        Add(command, "$number", draft.Number);
        Add(command, "$category", Name(draft.Category));
        Add(command, "$equipment", draft.EquipmentType);
        Add(command, "$holder", draft.Holder);
        Add(command, "$region", draft.Region);
        Add(command, "$authority", draft.Authority);
        Add(command, "$issued", Text((LocalDate?)draft.IssueDate));
        Add(command, "$deadline", Text((LocalDate?)draft.Deadline));
        Add(command, "$form", Name(draft.Form));
        Add(command, "$device", draft.DeviceId);
        Add(command, "$site", draft.SiteId);
        Add(command, "$managers", JsonSerializer.Serialize(draft.Managers, Json));
    }

    private static Licence Read(SqliteDataReader r) =>
        new(r.GetInt64(0), r.GetString(1), Parse<LicenceCategory>(r.GetString(2)), r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6),
            ReadNullableDate(r, 7)!.Value, ReadNullableDate(r, 8)!.Value, Parse<LicenceForm>(r.GetString(9)), NullableText(r, 10), NullableText(r, 11),
            JsonSerializer.Deserialize<List<LicenceManager>>(r.GetString(12), Json) ?? [], Parse<LicenceStatus>(r.GetString(13)),
            ReadNullableDate(r, 14), ReadNullableDate(r, 15), NullableText(r, 16), ReadInstant(r, 17), ReadInstant(r, 18));

    private static string? NullableText(SqliteDataReader r, int ordinal) => r.IsDBNull(ordinal) ? null : r.GetString(ordinal);
}
