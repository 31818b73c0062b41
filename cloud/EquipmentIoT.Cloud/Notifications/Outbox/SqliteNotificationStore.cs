using System.Buffers.Text;
using System.Security.Cryptography;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using NodaTime;
using static EquipmentIoT.Cloud.Storage.Sqlite.SqliteRecordValues;

namespace EquipmentIoT.Cloud.Notifications.Outbox;

/// <summary>
/// The outbox in records.db (component <see cref="Component"/>). See <see cref="INotificationStore"/> for the
/// claim protocol. Every statement that moves a message checks the status it expects in its WHERE clause, so
/// a racing dispatcher or delivery report turns it into a no-op instead of a lost update.
/// </summary>
public sealed partial class SqliteNotificationStore : INotificationStore, IStoreInitializer
{
    private const int TokenBytes = 16;
    private readonly SqliteDatabase _db;

    public SqliteNotificationStore(SqliteDatabase database) => _db = database ?? throw new ArgumentNullException(nameof(database));

    /// <inheritdoc/>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await SqliteMigrator.ApplyAsync(c, Component, Migrations, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<(NotificationMessage Message, bool Created)> EnqueueAsync(NotificationRequest request, Instant now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var notBefore = request.NotBefore ?? now;
        // 128 random bits, base64url: nothing in it that Kannel's %-escapes or a URL path would change.
        string? token = request.Channel == NotificationChannel.Sms ? Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(TokenBytes)) : null;
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = c.BeginTransaction(deferred: false);
        long? id;
        await using (var insert = c.CreateCommand())
        {
            insert.Transaction = tx;
            insert.CommandText = """
                INSERT INTO notification_messages (channel, recipient, subject, body, dedup_key, created, not_before, status, next_attempt, dlr_token)
                VALUES ($channel, $recipient, $subject, $body, $key, $created, $notBefore, 'pending', $notBefore, $token)
                ON CONFLICT (dedup_key) DO NOTHING
                RETURNING id
                """;
            Add(insert, "$channel", NotificationText.Of(request.Channel));
            Add(insert, "$recipient", request.Recipient);
            Add(insert, "$subject", request.Subject);
            Add(insert, "$body", request.Body);
            Add(insert, "$key", request.DeduplicationKey);
            Add(insert, "$created", Text(now));
            Add(insert, "$notBefore", Text(notBefore));
            Add(insert, "$token", token);
            id = (long?)await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        }
        var message = await ReadOneAsync(c, tx, id is not null ? "id = $v" : "dedup_key = $v", (object?)id ?? request.DeduplicationKey, cancellationToken)
            .ConfigureAwait(false) ?? throw new InvalidOperationException("the message just stored or found is gone");
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return (message, id is not null);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<long>> FindDueAsync(Instant now, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var query = c.CreateCommand();
        query.CommandText = "SELECT id FROM notification_messages WHERE status = 'pending' AND next_attempt <= $now ORDER BY next_attempt, id LIMIT $limit";
        Add(query, "$now", Text(now));
        Add(query, "$limit", limit);
        return await query.ReadAllAsync(r => r.GetInt64(0), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<Instant?> NextDueAsync(CancellationToken cancellationToken)
    {
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var query = c.CreateCommand();
        query.CommandText = "SELECT MIN(next_attempt) FROM notification_messages WHERE status = 'pending'";
        await using var r = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await r.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadNullableInstant(r, 0) : null;
    }

    /// <inheritdoc/>
    public async Task<ClaimedNotification?> TryClaimAsync(long id, string instance, Instant now, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(instance);
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var claim = c.CreateCommand();
        // One statement: SQLite runs it under the write lock, so of two dispatchers only one sees status = 'pending'.
        claim.CommandText = $"""
            UPDATE notification_messages SET status = 'sending', attempts = attempts + 1, claimed_by = $instance, claimed_at = $now
            WHERE id = $id AND status = 'pending' AND next_attempt <= $now
            RETURNING {Columns}, dlr_token
            """;
        Add(claim, "$id", id);
        Add(claim, "$instance", instance);
        Add(claim, "$now", Text(now));
        await using var r = await claim.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await r.ReadAsync(cancellationToken).ConfigureAwait(false)) return null;
        return new ClaimedNotification(ReadMessage(r), instance, now, r.GetStringOrNull(16));
    }

    /// <inheritdoc/>
    public async Task<bool> CompleteAsync(ClaimedNotification claim, AttemptCompletion completion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(completion);
        var next = completion.NextStatus;
        if (next is not (NotificationStatus.Sent or NotificationStatus.Pending or NotificationStatus.FailedPermanently))
            throw new ArgumentException($"an attempt ends in sent, pending or failed-permanently, not {next}", nameof(completion));
        if (next == NotificationStatus.Pending && completion.NextAttempt is null)
            throw new ArgumentException("a retry needs its next attempt time", nameof(completion));

        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = c.BeginTransaction(deferred: false);
        await InsertAttemptAsync(c, tx, claim.Message.Id, claim.Attempt, claim.Instance, claim.ClaimedAt, completion.Finished, completion.Outcome,
            completion.Detail, completion.GatewayMessageId, cancellationToken).ConfigureAwait(false);
        object sentAt = completion.Outcome == AttemptOutcome.Sent ? Text(completion.Finished) : DBNull.Value;
        int moved;
        await using (var update = c.CreateCommand())
        {
            update.Transaction = tx;
            update.CommandText = """
                UPDATE notification_messages
                SET status = $status, next_attempt = COALESCE($next, next_attempt), last_error = $error,
                    gateway_message_id = COALESCE($gateway, gateway_message_id), sent_at = COALESCE($sent, sent_at),
                    failed_at = CASE WHEN $status = 'failed-permanently' THEN $finished ELSE failed_at END,
                    claimed_by = NULL, claimed_at = NULL
                WHERE id = $id AND status = 'sending' AND claimed_by = $instance AND attempts = $attempt
                """;
            Add(update, "$status", NotificationText.Of(next));
            Add(update, "$next", Text(completion.NextAttempt));
            Add(update, "$error", completion.Outcome == AttemptOutcome.Sent ? null : completion.Detail);
            Add(update, "$gateway", completion.GatewayMessageId);
            Add(update, "$sent", sentAt);
            Add(update, "$finished", Text(completion.Finished));
            AddClaim(update, claim);
            moved = await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        if (moved == 0)
        {
            // A delivery report settled it while we were sending (Kannel reports within milliseconds): keep its status,
            // note what the send itself said. Matches nothing when the claim was recovered and taken by someone else.
            await using var settle = c.CreateCommand();
            settle.Transaction = tx;
            settle.CommandText = """
                UPDATE notification_messages
                SET gateway_message_id = COALESCE($gateway, gateway_message_id), sent_at = COALESCE(sent_at, $sent), claimed_by = NULL, claimed_at = NULL
                WHERE id = $id AND status IN ('delivered', 'failed-permanently') AND claimed_by = $instance AND attempts = $attempt
                """;
            Add(settle, "$gateway", completion.GatewayMessageId);
            Add(settle, "$sent", sentAt);
            AddClaim(settle, claim);
            moved = await settle.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return moved == 1;
    }

    /// <inheritdoc/>
    public async Task<int> RecoverAsync(string? instance, Instant leaseExpiredBefore, Instant now, CancellationToken cancellationToken)
    {
        // claimed_by = NULL is never true: with no instance, only expired leases match.
        const string Stale = "claimed_by IS NOT NULL AND (claimed_by = $instance OR claimed_at <= $cutoff)";
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        // BEGIN IMMEDIATE: the rows found below are the rows updated, no dispatcher can claim or complete in between.
        await using var tx = c.BeginTransaction(deferred: false);
        SqliteCommand Command(string sql)
        {
            var command = c.CreateCommand();
            command.Transaction = tx;
            command.CommandText = sql;
            Add(command, "$instance", instance);
            Add(command, "$cutoff", Text(leaseExpiredBefore));
            Add(command, "$now", Text(now));
            return command;
        }
        List<(long Id, int Attempt, string By, Instant At)> abandoned;
        await using (var find = Command($"SELECT id, attempts, claimed_by, claimed_at FROM notification_messages WHERE status = 'sending' AND {Stale}"))
            abandoned = await find.ReadAllAsync(r => (r.GetInt64(0), r.GetInt32(1), r.GetString(2), ReadInstant(r, 3)), cancellationToken).ConfigureAwait(false);
        await using (var reset = Command($"""
            UPDATE notification_messages
            SET status = 'pending', next_attempt = $now, claimed_by = NULL, claimed_at = NULL,
                last_error = 'the dispatcher stopped while sending; sent again (it may arrive twice)'
            WHERE status = 'sending' AND {Stale}
            """))
            await reset.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        // Claims left on messages a delivery report settled while their dispatcher died.
        await using (var clear = Command($"UPDATE notification_messages SET claimed_by = NULL, claimed_at = NULL WHERE {Stale}"))
            await clear.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        foreach (var (id, attempt, by, at) in abandoned)
        {
            await InsertAttemptAsync(c, tx, id, attempt, by, at, now, AttemptOutcome.Abandoned,
                by == instance ? "the instance restarted while sending" : "the claim's lease expired", null, cancellationToken).ConfigureAwait(false);
        }
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return abandoned.Count;
    }

    private static void AddClaim(SqliteCommand command, ClaimedNotification claim)
    {
        Add(command, "$id", claim.Message.Id);
        Add(command, "$instance", claim.Instance);
        Add(command, "$attempt", claim.Attempt);
    }

    private static async Task InsertAttemptAsync(SqliteConnection c, SqliteTransaction tx, long id, int number, string instance, Instant started,
        Instant finished, AttemptOutcome outcome, string? detail, string? gatewayMessageId, CancellationToken cancellationToken)
    {
        await using var insert = c.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = """
            INSERT INTO notification_attempts (message_id, number, instance, started, finished, outcome, detail, gateway_message_id)
            VALUES ($id, $number, $instance, $started, $finished, $outcome, $detail, $gateway)
            """;
        Add(insert, "$id", id);
        Add(insert, "$number", number);
        Add(insert, "$instance", instance);
        Add(insert, "$started", Text(started));
        Add(insert, "$finished", Text(finished));
        Add(insert, "$outcome", NotificationText.Of(outcome));
        Add(insert, "$detail", detail);
        Add(insert, "$gateway", gatewayMessageId);
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
