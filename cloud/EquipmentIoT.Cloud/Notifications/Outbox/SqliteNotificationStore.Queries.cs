using System.Text;
using System.Text.Json;
using EquipmentIoT.Cloud.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using static EquipmentIoT.Cloud.Storage.Sqlite.SqliteRecordValues;

namespace EquipmentIoT.Cloud.Notifications.Outbox;

public sealed partial class SqliteNotificationStore
{
    /// <inheritdoc/>
    public async Task<NotificationEntry?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        var message = await ReadOneAsync(c, null, "id = $v", id, cancellationToken).ConfigureAwait(false);
        if (message is null) return null;
        return (await WithHistoryAsync(c, [message], cancellationToken).ConfigureAwait(false))[0];
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<NotificationEntry>> QueryAsync(NotificationQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.Limit, NotificationQuery.MaxLimit);
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var select = c.CreateCommand();
        // Fixed fragments only; every value is a parameter.
        var where = new List<string>();
        void Filter(string clause, string name, object? value)
        {
            if (value is null) return;
            where.Add(clause);
            Add(select, name, value);
        }
        Filter("status = $status", "$status", query.Status is { } s ? NotificationText.Of(s) : null);
        Filter("channel = $channel", "$channel", query.Channel is { } ch ? NotificationText.Of(ch) : null);
        Filter("recipient = $recipient", "$recipient", query.Recipient);
        Filter("dedup_key = $key", "$key", query.DeduplicationKey);
        Filter("created >= $from", "$from", query.CreatedFrom is { } from ? Text(from) : null);
        Filter("created < $to", "$to", query.CreatedTo is { } to ? Text(to) : null);
        Filter("id < $before", "$before", query.BeforeId);
        var sql = new StringBuilder($"SELECT {Columns} FROM notification_messages");
        if (where.Count > 0) sql.Append(" WHERE ").AppendJoin(" AND ", where);
        sql.Append(" ORDER BY id DESC LIMIT $limit");
        Add(select, "$limit", query.Limit);
        select.CommandText = sql.ToString();
        var messages = await select.ReadAllAsync(ReadMessage, cancellationToken).ConfigureAwait(false);
        return await WithHistoryAsync(c, messages, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<NotificationMessage?> ReadOneAsync(SqliteConnection c, SqliteTransaction? tx, string where, object value,
        CancellationToken cancellationToken)
    {
        await using var query = c.CreateCommand();
        query.Transaction = tx;
        query.CommandText = $"SELECT {Columns} FROM notification_messages WHERE {where}";
        Add(query, "$v", value);
        var rows = await query.ReadAllAsync(ReadMessage, cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    private static async Task<List<NotificationEntry>> WithHistoryAsync(SqliteConnection c, List<NotificationMessage> messages,
        CancellationToken cancellationToken)
    {
        if (messages.Count == 0) return [];
        var ids = JsonSerializer.Serialize(messages.Select(m => m.Id).ToArray());
        List<DeliveryAttempt> attempts;
        await using (var query = c.CreateCommand())
        {
            query.CommandText = """
                SELECT message_id, number, instance, started, finished, outcome, detail, gateway_message_id FROM notification_attempts
                WHERE message_id IN (SELECT value FROM json_each($ids)) ORDER BY id
                """;
            Add(query, "$ids", ids);
            attempts = await query.ReadAllAsync(r => new DeliveryAttempt(r.GetInt64(0), r.GetInt32(1), r.GetString(2), ReadInstant(r, 3),
                ReadInstant(r, 4), NotificationText.OutcomeOf(r.GetString(5)) ?? throw Corrupt("outcome", r.GetString(5)), r.GetStringOrNull(6),
                r.GetStringOrNull(7)), cancellationToken).ConfigureAwait(false);
        }
        List<DeliveryReport> reports;
        await using (var query = c.CreateCommand())
        {
            query.CommandText = """
                SELECT message_id, code, at, received, detail FROM notification_reports
                WHERE message_id IN (SELECT value FROM json_each($ids)) ORDER BY id
                """;
            Add(query, "$ids", ids);
            reports = await query.ReadAllAsync(r => new DeliveryReport(r.GetInt64(0), r.GetInt32(1), ReadInstant(r, 2), ReadInstant(r, 3),
                r.GetStringOrNull(4)), cancellationToken).ConfigureAwait(false);
        }
        var attemptsOf = attempts.ToLookup(a => a.MessageId);
        var reportsOf = reports.ToLookup(a => a.MessageId);
        return [.. messages.Select(m => new NotificationEntry(m, [.. attemptsOf[m.Id]], [.. reportsOf[m.Id]]))];
    }

    private static NotificationMessage ReadMessage(SqliteDataReader r) => new(
        r.GetInt64(0),
        NotificationText.ChannelOf(r.GetString(1)) ?? throw Corrupt("channel", r.GetString(1)),
        r.GetString(2),
        r.GetString(3),
        r.GetString(4),
        r.GetString(5),
        ReadInstant(r, 6),
        ReadInstant(r, 7),
        NotificationText.StatusOf(r.GetString(8)) ?? throw Corrupt("status", r.GetString(8)),
        r.GetInt32(9),
        ReadInstant(r, 10),
        r.GetStringOrNull(11),
        r.GetStringOrNull(12),
        ReadNullableInstant(r, 13),
        ReadNullableInstant(r, 14),
        ReadNullableInstant(r, 15));

    // The CHECK constraints make this unreachable unless someone edited the file by hand.
    private static InvalidOperationException Corrupt(string column, string value) => new($"records.db holds an unknown notification {column} '{value}'");
}
