using System.Text;
using Microsoft.Data.Sqlite;

namespace EquipmentIoT.Cloud.Storage.Sqlite;

public sealed partial class SqliteTelemetryLedger
{
    private const string BatchColumns =
        "id, agent, stream, seq, kid, hash, prev, created, received, jws, EXISTS (SELECT 1 FROM series_pending p WHERE p.batch_id = batches.id)";

    public async Task<IReadOnlyList<StoredBatch>> SeriesPendingAsync(int max, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        await using var connection = await ReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var command = SqliteCommands.Create(connection,
            $"SELECT {BatchColumns} FROM batches WHERE id IN (SELECT batch_id FROM series_pending ORDER BY batch_id LIMIT $max) ORDER BY id", "$max").Bind(null, max);
        return await ReadBatchesAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public async Task<StoredBatch?> GetBatchAsync(string agent, string stream, long seq, CancellationToken cancellationToken)
    {
        await using var connection = await ReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var command = SqliteCommands.Create(connection,
            $"SELECT {BatchColumns} FROM batches WHERE agent = $agent AND stream = $stream AND seq = $seq", "$agent", "$stream", "$seq")
            .Bind(null, agent, stream, seq);
        var batches = await ReadBatchesAsync(command, cancellationToken).ConfigureAwait(false);
        return batches.Count == 0 ? null : batches[0];
    }

    public async Task<long> CountBatchesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await ReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var command = SqliteCommands.Create(connection, "SELECT COUNT(*) FROM batches");
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    public async Task<IReadOnlyList<GapRecord>> OpenGapsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await ReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var command = SqliteCommands.Create(connection, """
            SELECT id, agent, stream, from_seq, to_seq, detected, requests, last_requested, status FROM gaps
            WHERE status = 'Open' ORDER BY detected, id
            """);
        return await command.ReadAllAsync(r => new GapRecord(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetInt64(3), r.GetInt64(4),
            UnixMillis.ToInstant(r.GetInt64(5)), r.GetInt32(6), InstantOrNull(r, 7), Enum.Parse<GapStatus>(r.GetString(8))), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<IntegritySummary>> IntegrityAsync(string? agent, CancellationToken cancellationToken)
    {
        await using var connection = await ReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var command = SqliteCommands.Create(connection, """
            SELECT c.agent, c.received, c.stored, c.duplicates, c.quarantined, c.last_received,
                (SELECT COUNT(*) FROM gaps g WHERE g.agent = c.agent AND g.status = 'Open'),
                (SELECT COUNT(*) FROM gaps g WHERE g.agent = c.agent AND g.status = 'Filled'),
                (SELECT COUNT(*) FROM gaps g WHERE g.agent = c.agent AND g.status = 'ReportedUnavailable'),
                (SELECT COALESCE(SUM(g.to_seq - g.from_seq + 1), 0) FROM gaps g WHERE g.agent = c.agent AND g.status <> 'Filled')
            FROM agent_integrity c WHERE $agent IS NULL OR c.agent = $agent ORDER BY c.agent
            """, "$agent").Bind(null, agent);
        return await command.ReadAllAsync(r => new IntegritySummary(r.GetString(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4),
            r.GetInt64(6), r.GetInt64(7), r.GetInt64(8), r.GetInt64(9), InstantOrNull(r, 5)), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<StoredEvent>> EventsAsync(EventQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Limit);
        await using var connection = await ReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        var sql = new StringBuilder("SELECT id, agent, device, type, ts, data, batch_id FROM events WHERE 1 = 1");
        Filter(command, sql, "device = $device", "$device", query.Device);
        Filter(command, sql, "agent = $agent", "$agent", query.Agent);
        if (!string.IsNullOrEmpty(query.TypePrefix)) PrefixFilter(command, sql, query.TypePrefix);
        Filter(command, sql, "ts >= $from", "$from", query.From is { } from ? UnixMillis.From(from) : null);
        Filter(command, sql, "ts < $to", "$to", query.To is { } to ? UnixMillis.From(to) : null);
        return await FinishAsync(command, sql, "ts", query.Limit, r => new StoredEvent(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3),
            UnixMillis.ToInstant(r.GetInt64(4)), EventDataJson.Read(r.GetString(5)), r.GetInt64OrNull(6)), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<StoredEvent>> EventsAfterAsync(long afterId, IReadOnlyCollection<string> types, int limit,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(types);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        if (types.Count == 0) return [];
        await using var connection = await ReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        var names = types.Select((_, i) => $"$t{i}").ToList();
        command.CommandText = $"SELECT id, agent, device, type, ts, data, batch_id FROM events WHERE id > $after AND type IN ({string.Join(", ", names)}) ORDER BY id LIMIT $limit";
        command.Parameters.AddWithValue("$after", afterId);
        command.Parameters.AddWithValue("$limit", limit);
        foreach (var (name, type) in names.Zip(types)) command.Parameters.AddWithValue(name, type);
        return await command.ReadAllAsync(r => new StoredEvent(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3),
            UnixMillis.ToInstant(r.GetInt64(4)), EventDataJson.Read(r.GetString(5)), r.GetInt64OrNull(6)), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<QuarantineRecord>> QuarantinedAsync(QuarantineQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Limit);
        await using var connection = await ReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        var sql = new StringBuilder("SELECT id, agent, kid, stream, seq, reason, detail, received, payload_bytes, payload FROM quarantine WHERE 1 = 1");
        Filter(command, sql, "agent = $agent", "$agent", query.Agent);
        Filter(command, sql, "reason = $reason", "$reason", query.Reason?.ToString());
        Filter(command, sql, "received >= $from", "$from", query.From is { } from ? UnixMillis.From(from) : null);
        Filter(command, sql, "received < $to", "$to", query.To is { } to ? UnixMillis.From(to) : null);
        return await FinishAsync(command, sql, "received", query.Limit, r => new QuarantineRecord(r.GetInt64(0), r.GetString(1), r.GetStringOrNull(2),
            r.GetStringOrNull(3), r.GetInt64OrNull(4), Enum.Parse<QuarantineReason>(r.GetString(5)), r.GetString(6), UnixMillis.ToInstant(r.GetInt64(7)),
            r.GetInt32(8), (byte[])r.GetValue(9)), cancellationToken).ConfigureAwait(false);
    }

    private static Task<List<StoredBatch>> ReadBatchesAsync(SqliteCommand command, CancellationToken cancellationToken) =>
        command.ReadAllAsync(r => new StoredBatch(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetInt64(3), r.GetString(4), r.GetString(5),
            r.GetStringOrNull(6), UnixMillis.ToInstant(r.GetInt64(7)), UnixMillis.ToInstant(r.GetInt64(8)), (byte[])r.GetValue(9), r.GetInt64(10) != 0),
            cancellationToken);

    /// <summary>Newest first by <paramref name="timeColumn"/> (then id), at most <paramref name="limit"/> rows.</summary>
    private static Task<List<T>> FinishAsync<T>(SqliteCommand command, StringBuilder sql, string timeColumn, int limit, Func<SqliteDataReader, T> map,
        CancellationToken cancellationToken)
    {
        sql.Append(" ORDER BY ").Append(timeColumn).Append(" DESC, id DESC LIMIT $limit");
        command.Parameters.AddWithValue("$limit", limit);
        command.CommandText = sql.ToString();
        return command.ReadAllAsync(map, cancellationToken);
    }

    private static NodaTime.Instant? InstantOrNull(SqliteDataReader reader, int ordinal) =>
        reader.GetInt64OrNull(ordinal) is { } milliseconds ? UnixMillis.ToInstant(milliseconds) : null;

    private static void Filter(SqliteCommand command, StringBuilder sql, string condition, string parameter, object? value)
    {
        if (value is null) return;
        sql.Append(" AND ").Append(condition);
        command.Parameters.AddWithValue(parameter, value);
    }

    /// <summary>
    /// <c>type</c> starts with <paramref name="prefix"/>: as a range [prefix, prefix with its last character
    /// incremented) so that the (type, ts) index is used; the substr test keeps it exact for any text.
    /// </summary>
    private static void PrefixFilter(SqliteCommand command, StringBuilder sql, string prefix)
    {
        sql.Append(" AND substr(type, 1, length($prefix)) = $prefix");
        command.Parameters.AddWithValue("$prefix", prefix);
        var last = prefix[^1];
        if (last < 0x7F)
        {
            sql.Append(" AND type >= $prefix AND type < $prefixEnd");
            command.Parameters.AddWithValue("$prefixEnd", prefix[..^1] + (char)(last + 1));
        }
    }
}
