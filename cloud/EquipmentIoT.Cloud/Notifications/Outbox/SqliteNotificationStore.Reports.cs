using System.Security.Cryptography;
using System.Text;
using EquipmentIoT.Cloud.Notifications.Sms;
using EquipmentIoT.Cloud.Storage.Sqlite;
using NodaTime;
using static EquipmentIoT.Cloud.Storage.Sqlite.SqliteRecordValues;

namespace EquipmentIoT.Cloud.Notifications.Outbox;

public sealed partial class SqliteNotificationStore
{
    /// <summary>Longest gateway text kept with a delivery report.</summary>
    public const int MaxReportDetailLength = 256;

    /// <inheritdoc/>
    public async Task<DeliveryReportOutcome> RecordDeliveryReportAsync(long id, string token, int code, Instant at, string? detail, Instant received,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = c.BeginTransaction(deferred: false);
        string? stored;
        await using (var find = c.CreateCommand())
        {
            find.Transaction = tx;
            find.CommandText = "SELECT dlr_token FROM notification_messages WHERE id = $id";
            Add(find, "$id", id);
            stored = await find.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
        }
        // Looked up by id, compared in fixed time: the answer's timing says nothing about how much of a guess was right.
        if (stored is null || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(stored), Encoding.ASCII.GetBytes(token)))
            return DeliveryReportOutcome.NotFound;

        await using (var insert = c.CreateCommand())
        {
            insert.Transaction = tx;
            insert.CommandText = "INSERT INTO notification_reports (message_id, code, at, received, detail) VALUES ($id, $code, $at, $received, $detail)";
            Add(insert, "$id", id);
            Add(insert, "$code", code);
            Add(insert, "$at", Text(at));
            Add(insert, "$received", Text(received));
            Add(insert, "$detail", detail is { Length: > MaxReportDetailLength } ? detail[..MaxReportDetailLength] : detail);
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        if (KannelDeliveryReport.FinalStatusOf(code) is { } final)
        {
            // The first final report wins; a report for a message still pending (our send timed out, but Kannel had it) stops its retries.
            await using var update = c.CreateCommand();
            update.Transaction = tx;
            update.CommandText = """
                UPDATE notification_messages
                SET status = $status,
                    delivered_at = CASE WHEN $status = 'delivered' THEN $at ELSE delivered_at END,
                    failed_at = CASE WHEN $status = 'failed-permanently' THEN $at ELSE failed_at END,
                    last_error = CASE WHEN $status = 'failed-permanently' THEN $error ELSE last_error END
                WHERE id = $id AND status IN ('pending', 'sending', 'sent')
                """;
            Add(update, "$id", id);
            Add(update, "$status", NotificationText.Of(final));
            Add(update, "$at", Text(at));
            Add(update, "$error", $"delivery report {code}: {KannelDeliveryReport.Describe(code)}");
            await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return DeliveryReportOutcome.Recorded;
    }

    /// <inheritdoc/>
    public async Task<bool> RequeueAsync(long id, Instant now, CancellationToken cancellationToken)
    {
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var update = c.CreateCommand();
        update.CommandText = """
            UPDATE notification_messages SET status = 'pending', attempts = 0, next_attempt = $now, failed_at = NULL
            WHERE id = $id AND status = 'failed-permanently'
            """;
        Add(update, "$id", id);
        Add(update, "$now", Text(now));
        return await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }
}
