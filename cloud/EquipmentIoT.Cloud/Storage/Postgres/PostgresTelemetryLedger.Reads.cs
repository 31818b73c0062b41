using System.Text;
using Npgsql;
using static EquipmentIoT.Cloud.Storage.Postgres.PostgresCommands;

namespace EquipmentIoT.Cloud.Storage.Postgres;

public sealed partial class PostgresTelemetryLedger
{
    private const string BatchColumns =
        "id, agent, stream, seq, kid, hash, prev, created, received, jws, EXISTS (SELECT 1 FROM series_pending p WHERE p.batch_id = batches.id)";

    private const string EventColumns = "id, agent, device, type, ts, data::text, batch_id";

    public Task<IReadOnlyList<StoredBatch>> SeriesPendingAsync(int max, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        return ReadAsync<IReadOnlyList<StoredBatch>>(async (c, tx, ct) => await ReadAllAsync(c, tx,
            $"SELECT {BatchColumns} FROM batches WHERE id IN (SELECT batch_id FROM series_pending ORDER BY batch_id LIMIT $1) ORDER BY id",
            ReadBatch, ct, max).ConfigureAwait(false), cancellationToken);
    }

    public Task<StoredBatch?> GetBatchAsync(string agent, string stream, long seq, CancellationToken cancellationToken) =>
        ReadAsync(async (c, tx, ct) =>
        {
            var batches = await ReadAllAsync(c, tx, $"SELECT {BatchColumns} FROM batches WHERE agent = $1 AND stream = $2 AND seq = $3",
                ReadBatch, ct, agent, stream, seq).ConfigureAwait(false);
            return batches.Count == 0 ? null : batches[0];
        }, cancellationToken);

    public Task<long> CountBatchesAsync(CancellationToken cancellationToken) =>
        ReadAsync(async (c, tx, ct) => (long)(await ScalarAsync(c, tx, "SELECT COUNT(*) FROM batches", ct).ConfigureAwait(false))!, cancellationToken);

    public Task<IReadOnlyList<GapRecord>> OpenGapsAsync(CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<GapRecord>>(async (c, tx, ct) => await ReadAllAsync(c, tx, """
            SELECT id, agent, stream, from_seq, to_seq, detected, requests, last_requested, status FROM gaps
            WHERE status = 'Open' ORDER BY detected, id
            """, r => new GapRecord(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetInt64(3), r.GetInt64(4),
            UnixMillis.ToInstant(r.GetInt64(5)), r.GetInt32(6), InstantOrNull(r, 7), Enum.Parse<GapStatus>(r.GetString(8))), ct).ConfigureAwait(false),
            cancellationToken);

    public Task<IReadOnlyList<IntegritySummary>> IntegrityAsync(string? agent, CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<IntegritySummary>>(async (c, tx, ct) => await ReadAllAsync(c, tx, """
            SELECT c.agent, c.received, c.stored, c.duplicates, c.quarantined, c.last_received,
                (SELECT COUNT(*) FROM gaps g WHERE g.agent = c.agent AND g.status = 'Open'),
                (SELECT COUNT(*) FROM gaps g WHERE g.agent = c.agent AND g.status = 'Filled'),
                (SELECT COUNT(*) FROM gaps g WHERE g.agent = c.agent AND g.status = 'ReportedUnavailable'),
                (SELECT COALESCE(SUM(g.to_seq - g.from_seq + 1), 0)::bigint FROM gaps g WHERE g.agent = c.agent AND g.status <> 'Filled')
            FROM agent_integrity c WHERE $1::text IS NULL OR c.agent = $1 ORDER BY c.agent
            """, r => new IntegritySummary(r.GetString(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4),
            r.GetInt64(6), r.GetInt64(7), r.GetInt64(8), r.GetInt64(9), InstantOrNull(r, 5)), ct, agent).ConfigureAwait(false), cancellationToken);

    public Task<IReadOnlyList<StoredEvent>> EventsAsync(EventQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Limit);
        var sql = new StringBuilder($"SELECT {EventColumns} FROM events WHERE true");
        var values = new List<object?>();
        Filter(sql, values, "device = $", query.Device);
        Filter(sql, values, "agent = $", query.Agent);
        if (!string.IsNullOrEmpty(query.TypePrefix)) PrefixFilter(sql, values, query.TypePrefix);
        Filter(sql, values, "ts >= $", query.From is { } from ? UnixMillis.From(from) : null);
        Filter(sql, values, "ts < $", query.To is { } to ? UnixMillis.From(to) : null);
        return FinishAsync(sql, values, "ts", query.Limit, ReadEvent, cancellationToken);
    }

    public Task<IReadOnlyList<StoredEvent>> EventsAfterAsync(long afterId, IReadOnlyCollection<string> types, int limit,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(types);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        if (types.Count == 0) return Task.FromResult<IReadOnlyList<StoredEvent>>([]);
        var names = types.ToArray();
        return ReadAsync<IReadOnlyList<StoredEvent>>(async (c, tx, ct) => await ReadAllAsync(c, tx,
            $"SELECT {EventColumns} FROM events WHERE id > $1 AND type = ANY($2) ORDER BY id LIMIT $3", ReadEvent, ct, afterId, names, limit)
            .ConfigureAwait(false), cancellationToken);
    }

    public Task<IReadOnlyList<QuarantineRecord>> QuarantinedAsync(QuarantineQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Limit);
        var sql = new StringBuilder("SELECT id, agent, kid, stream, seq, reason, detail, received, payload_bytes, payload FROM quarantine WHERE true");
        var values = new List<object?>();
        Filter(sql, values, "agent = $", query.Agent);
        Filter(sql, values, "reason = $", query.Reason?.ToString());
        Filter(sql, values, "received >= $", query.From is { } from ? UnixMillis.From(from) : null);
        Filter(sql, values, "received < $", query.To is { } to ? UnixMillis.From(to) : null);
        return FinishAsync(sql, values, "received", query.Limit, r => new QuarantineRecord(r.GetInt64(0), r.GetString(1), r.GetStringOrNull(2),
            r.GetStringOrNull(3), r.GetInt64OrNull(4), Enum.Parse<QuarantineReason>(r.GetString(5)), r.GetString(6), UnixMillis.ToInstant(r.GetInt64(7)),
            r.GetInt32(8), (byte[])r.GetValue(9)), cancellationToken);
    }

    private static StoredBatch ReadBatch(NpgsqlDataReader r) =>
        new(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetInt64(3), r.GetString(4), r.GetString(5), r.GetStringOrNull(6),
            UnixMillis.ToInstant(r.GetInt64(7)), UnixMillis.ToInstant(r.GetInt64(8)), (byte[])r.GetValue(9), r.GetBoolean(10));

    private static StoredEvent ReadEvent(NpgsqlDataReader r) =>
        new(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), UnixMillis.ToInstant(r.GetInt64(4)), EventDataJson.Read(r.GetString(5)),
            r.GetInt64OrNull(6));

    /// <summary>Newest first by <paramref name="timeColumn"/> (then id), at most <paramref name="limit"/> rows.</summary>
    private Task<IReadOnlyList<T>> FinishAsync<T>(StringBuilder sql, List<object?> values, string timeColumn, int limit, Func<NpgsqlDataReader, T> map,
        CancellationToken cancellationToken)
    {
        values.Add(limit);
        sql.Append(" ORDER BY ").Append(timeColumn).Append(" DESC, id DESC LIMIT $").Append(values.Count);
        var text = sql.ToString();
        var array = values.ToArray();
        return ReadAsync<IReadOnlyList<T>>(async (c, tx, ct) => await ReadAllAsync(c, tx, text, map, ct, array).ConfigureAwait(false), cancellationToken);
    }

    private static NodaTime.Instant? InstantOrNull(NpgsqlDataReader reader, int ordinal) =>
        reader.GetInt64OrNull(ordinal) is { } milliseconds ? UnixMillis.ToInstant(milliseconds) : null;

    /// <summary>Appends "AND condition" with the next parameter number after its trailing '$', unless the value is null.</summary>
    private static void Filter(StringBuilder sql, List<object?> values, string condition, object? value)
    {
        if (value is null) return;
        values.Add(value);
        sql.Append(" AND ").Append(condition).Append(values.Count);
    }

    /// <summary>
    /// <c>type</c> starts with <paramref name="prefix"/>: as a range [prefix, prefix with its last character incremented)
    /// so that the (type, ts) index is used (the column compares byte-wise); the left() test keeps it exact for any text.
    /// </summary>
    private static void PrefixFilter(StringBuilder sql, List<object?> values, string prefix)
    {
        values.Add(prefix);
        var p = values.Count;
        var last = prefix[^1];
        if (last < 0x7F)
        {
            // Byte-wise (COLLATE "C"), [prefix, prefix with its last character + 1) is exactly the types starting with it; the range
            // alone lets the planner estimate and use the (device, type, ts) index (a left(…) test beside it hides the selectivity).
            values.Add(prefix[..^1] + (char)(last + 1));
            sql.Append(" AND type >= $").Append(p).Append(" AND type < $").Append(values.Count);
        }
        else
        {
            sql.Append(" AND left(type, length($").Append(p).Append(")) = $").Append(p);
        }
    }
}
