using Microsoft.Data.Sqlite;
using NodaTime;
using static EquipmentIoT.Cloud.Licences.Sqlite.LicenceSchema;
using static EquipmentIoT.Cloud.Storage.Sqlite.SqliteRecordValues;

namespace EquipmentIoT.Cloud.Licences.Sqlite;

/// <summary>The reminders (licence_notices): claimed before sending, so that no two runs send the same one.</summary>
public sealed partial class SqliteLicenceStore
{
    private const string NoticeColumns = """
        id, licence_id, deadline, band, kind, escalation, day, at, recipient, recipient_name, text, state, message_id, sent_at, error
        """;

    /// <inheritdoc/>
    public Task<IReadOnlyList<LicenceNotice>> NoticesAsync(long licenceId, CancellationToken cancellationToken) =>
        NoticesAsync("WHERE licence_id = $licence", q => Add(q, "$licence", licenceId), cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<LicenceNotice>> PendingAsync(CancellationToken cancellationToken) =>
        NoticesAsync("WHERE state = 'pending'", _ => { }, cancellationToken);

    /// <inheritdoc/>
    public async Task<LicenceNotice?> TryClaimAsync(NoticeClaim claim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var insert = c.CreateCommand();
        // ON CONFLICT DO NOTHING: the unique key decides between two runs (or two instances) racing for the same
        // reminder; the loser gets no row back and sends nothing.
        insert.CommandText = $"""
            INSERT INTO licence_notices (licence_id, deadline, band, kind, escalation, day, at, recipient, recipient_name, text, state)
            VALUES ($licence, $deadline, $band, $kind, $escalation, $day, $at, $recipient, $name, $text, $state)
            ON CONFLICT (licence_id, deadline, band, escalation, recipient) DO NOTHING
            RETURNING {NoticeColumns}
            """;
        Add(insert, "$licence", claim.LicenceId);
        Add(insert, "$deadline", Text((LocalDate?)claim.Deadline));
        Add(insert, "$band", Name(claim.Band));
        Add(insert, "$kind", Name(claim.Kind));
        Add(insert, "$escalation", claim.Escalation);
        Add(insert, "$day", Text((LocalDate?)claim.Day));
        Add(insert, "$at", Text(claim.At));
        Add(insert, "$recipient", claim.Recipient);
        Add(insert, "$name", claim.RecipientName);
        Add(insert, "$text", claim.Text);
        Add(insert, "$state", Name(claim.Recipient.Length == 0 ? NoticeState.Unaddressed : NoticeState.Pending));
        await using var r = await insert.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await r.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadNotice(r) : null;
    }

    /// <inheritdoc/>
    public Task MarkSentAsync(long noticeId, string messageId, Instant at, CancellationToken cancellationToken) =>
        UpdateNoticeAsync("state = 'sent', message_id = $value, sent_at = $at, error = NULL", noticeId, messageId, at, cancellationToken);

    /// <inheritdoc/>
    public Task MarkFailedAsync(long noticeId, string reason, CancellationToken cancellationToken) =>
        UpdateNoticeAsync("error = $value", noticeId, reason, null, cancellationToken);

    /// <inheritdoc/>
    public Task CancelAsync(long noticeId, string reason, CancellationToken cancellationToken) =>
        UpdateNoticeAsync("state = 'cancelled', error = $value", noticeId, reason, null, cancellationToken);

    // Only a pending reminder changes: a sent one is history.
    private async Task UpdateNoticeAsync(string set, long noticeId, string value, Instant? at, CancellationToken cancellationToken)
    {
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var update = c.CreateCommand();
        update.CommandText = $"UPDATE licence_notices SET {set} WHERE id = $id AND state = 'pending'";
        Add(update, "$id", noticeId);
        Add(update, "$value", value);
        Add(update, "$at", Text(at));
        await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<LicenceNotice>> NoticesAsync(string where, Action<SqliteCommand> bind, CancellationToken cancellationToken)
    {
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var query = c.CreateCommand();
        query.CommandText = $"SELECT {NoticeColumns} FROM licence_notices {where} ORDER BY id";
        bind(query);
        var notices = new List<LicenceNotice>();
        await using var r = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false)) notices.Add(ReadNotice(r));
        return notices;
    }

    private static LicenceNotice ReadNotice(SqliteDataReader r) =>
        new(r.GetInt64(0), r.GetInt64(1), ReadNullableDate(r, 2)!.Value, Parse<LicenceBand>(r.GetString(3)), Parse<NoticeKind>(r.GetString(4)),
            r.GetInt32(5), ReadNullableDate(r, 6)!.Value, ReadInstant(r, 7), r.GetString(8), NullableText(r, 9), r.GetString(10),
            Parse<NoticeState>(r.GetString(11)), NullableText(r, 12), ReadNullableInstant(r, 13), NullableText(r, 14));
}
