using System.Runtime.InteropServices;
using EquipmentIoT.Protocols.Telemetry.Commands;
using Npgsql;
using NodaTime;
using static EquipmentIoT.Cloud.Storage.Postgres.PostgresCommands;

namespace EquipmentIoT.Cloud.Storage.Postgres;

/// <summary>
/// The ledger's statements on PostgreSQL, inside one transaction (<see cref="LedgerWrite"/> drives them). The
/// first event inserted in a transaction takes the <see cref="EventsLock"/>, held to the commit: event ids come
/// from a sequence when inserted, not when committed, and <see cref="ITelemetryLedger.EventsAfterAsync"/> needs
/// ids to grow in commit order (a cursor must never pass an id that a slower transaction commits later). Only
/// transactions that write events queue on it; plain metrics batches of different streams commit side by side.
/// </summary>
internal sealed class PostgresLedgerCommands(NpgsqlConnection connection, NpgsqlTransaction transaction) : ILedgerCommands
{
    /// <summary>The advisory lock key serialising event writers ("eqiotevt" as ASCII).</summary>
    public const long EventsLock = 0x6571696F_74657674;

    private bool _holdsEventsLock;

    // The stream's highest stored seq, read with the neighbours (one round trip instead of two): valid for the next
    // MaxSeqAsync of the same stream, which LedgerWrite calls before it inserts anything.
    private (string Agent, string Stream, long? Max)? _maxSeq;

    public async Task<Neighbours> NeighboursAsync(string agent, string stream, long seq, CancellationToken cancellationToken)
    {
        long? sameId = null;
        StoredLink? same = null, before = null, after = null;
        long? max = null;
        // The last row (seq null) carries the stream's max(seq).
        await using var command = Command(connection, transaction, """
            SELECT id, seq, hash, prev FROM batches WHERE agent = $1 AND stream = $2 AND seq BETWEEN $3 AND $4
            UNION ALL
            SELECT NULL, NULL, NULL, max(seq)::text FROM batches WHERE agent = $1 AND stream = $2
            """, agent, stream, seq - 1, seq + 1);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (reader.IsDBNull(1))
            {
                max = reader.IsDBNull(3) ? null : long.Parse(reader.GetString(3), System.Globalization.CultureInfo.InvariantCulture);
                continue;
            }
            var link = new StoredLink(reader.GetInt64(1), reader.GetString(2), reader.GetStringOrNull(3));
            if (link.Seq == seq)
            {
                same = link;
                sameId = reader.GetInt64(0);
            }
            else if (link.Seq < seq) before = link;
            else after = link;
        }
        _maxSeq = (agent, stream, max);
        return new Neighbours(sameId, same, before, after);
    }

    public async Task<long?> MaxSeqAsync(string agent, string stream, CancellationToken cancellationToken)
    {
        if (_maxSeq is { } cached && cached.Agent == agent && cached.Stream == stream) return cached.Max;
        return await ScalarAsync(connection, transaction, "SELECT max(seq) FROM batches WHERE agent = $1 AND stream = $2", cancellationToken, agent, stream)
            .ConfigureAwait(false) is long max ? max : null;
    }

    public async Task<long> InsertBatchAsync(IncomingBatch incoming, CancellationToken cancellationToken)
    {
        _maxSeq = null;
        var b = incoming.Batch;
        // One round trip: the batch and its "series pending" mark.
        var id = await ScalarAsync(connection, transaction, """
            WITH inserted AS (
                INSERT INTO batches (agent, stream, seq, kid, hash, prev, created, received, points, events, jws)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id)
            INSERT INTO series_pending (batch_id) SELECT id FROM inserted RETURNING batch_id
            """, cancellationToken, b.Agent, b.Stream, b.Seq, incoming.Kid, incoming.Hash, b.Prev, UnixMillis.From(b.Created),
            UnixMillis.From(incoming.Received), b.Metrics.Count, b.Events.Count, WholeArray(incoming.Jws)).ConfigureAwait(false);
        return (long)id!;
    }

    public async Task InsertEventAsync(string agent, string device, string type, Instant timestamp, string dataJson, long? batchId,
        CancellationToken cancellationToken)
    {
        if (!_holdsEventsLock)
        {
            await ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock($1)", cancellationToken, EventsLock).ConfigureAwait(false);
            _holdsEventsLock = true;
        }
        await ExecuteAsync(connection, transaction, "INSERT INTO events (agent, device, type, ts, data, batch_id) VALUES ($1, $2, $3, $4, $5, $6)",
            cancellationToken, agent, device, type, UnixMillis.From(timestamp), new Json(dataJson), batchId).ConfigureAwait(false);
    }

    public async Task InsertQuarantineAsync(QuarantineEntry entry, CancellationToken cancellationToken)
    {
        var payload = entry.Payload.Length > LedgerLimits.QuarantinePayloadLimit ? entry.Payload[..LedgerLimits.QuarantinePayloadLimit] : entry.Payload;
        await ExecuteAsync(connection, transaction, """
            INSERT INTO quarantine (agent, kid, stream, seq, reason, detail, received, payload_bytes, payload)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            """, cancellationToken, entry.Agent, entry.Kid, entry.Stream, entry.Seq, entry.Reason.ToString(), entry.Detail,
            UnixMillis.From(entry.Received), entry.Payload.Length, WholeArray(payload)).ConfigureAwait(false);
    }

    public async Task<GapRow?> FindUnfilledGapAsync(string agent, string stream, long seq, CancellationToken cancellationToken)
    {
        var gaps = await ReadAllAsync(connection, transaction, """
            SELECT id, from_seq, to_seq, status FROM gaps
            WHERE agent = $1 AND stream = $2 AND status <> 'Filled' AND from_seq <= $3
            ORDER BY from_seq DESC LIMIT 1
            """, ReadGap, cancellationToken, agent, stream, seq).ConfigureAwait(false);
        return gaps.Count == 1 && gaps[0].Range.To >= seq ? gaps[0] : null;
    }

    public Task<List<GapRow>> OpenGapsOverlappingAsync(string agent, string stream, SeqRange range, CancellationToken cancellationToken) =>
        ReadAllAsync(connection, transaction, """
            SELECT id, from_seq, to_seq, status FROM gaps
            WHERE agent = $1 AND stream = $2 AND status <> 'Filled' AND status = 'Open' AND from_seq <= $4 AND to_seq >= $3
            ORDER BY from_seq
            """, ReadGap, cancellationToken, agent, stream, range.From, range.To);

    public async Task<long> InsertGapAsync(string agent, string stream, SeqRange range, Instant detected, CancellationToken cancellationToken) =>
        (long)(await ScalarAsync(connection, transaction,
            "INSERT INTO gaps (agent, stream, from_seq, to_seq, detected, status) VALUES ($1, $2, $3, $4, $5, 'Open') RETURNING id",
            cancellationToken, agent, stream, range.From, range.To, UnixMillis.From(detected)).ConfigureAwait(false))!;

    public Task UpdateGapAsync(long id, SeqRange range, GapStatus status, Instant? resolved, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction, "UPDATE gaps SET from_seq = $2, to_seq = $3, status = $4, resolved_at = $5 WHERE id = $1",
            cancellationToken, id, range.From, range.To, status.ToString(), resolved is { } r ? UnixMillis.From(r) : null);

    public Task SetGapRangeAsync(long id, SeqRange range, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction, "UPDATE gaps SET from_seq = $2, to_seq = $3 WHERE id = $1", cancellationToken, id, range.From, range.To);

    public Task CopyGapAsync(long id, SeqRange range, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction, """
            INSERT INTO gaps (agent, stream, from_seq, to_seq, detected, requests, last_requested, status, resolved_at)
            SELECT agent, stream, $2, $3, detected, requests, last_requested, status, resolved_at FROM gaps WHERE id = $1
            """, cancellationToken, id, range.From, range.To);

    public Task AddCountersAsync(string agent, IntegrityCounts counts, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction, """
            INSERT INTO agent_integrity AS c (agent, received, stored, duplicates, quarantined, last_received)
            VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (agent) DO UPDATE SET
                received = c.received + excluded.received,
                stored = c.stored + excluded.stored,
                duplicates = c.duplicates + excluded.duplicates,
                quarantined = c.quarantined + excluded.quarantined,
                last_received = GREATEST(c.last_received, excluded.last_received)
            """, cancellationToken, agent, counts.Received, counts.Stored, counts.Duplicates, counts.Quarantined,
            counts.LastReceived is { } last ? UnixMillis.From(last) : null);

    public Task MarkSeriesWrittenAsync(long batchId, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction, "DELETE FROM series_pending WHERE batch_id = $1", cancellationToken, batchId);

    public async Task<bool> MarkGapRequestedAsync(long gapId, Instant at, CancellationToken cancellationToken) =>
        await ExecuteAsync(connection, transaction, "UPDATE gaps SET requests = requests + 1, last_requested = $2 WHERE id = $1",
            cancellationToken, gapId, UnixMillis.From(at)).ConfigureAwait(false) == 1;

    private static GapRow ReadGap(NpgsqlDataReader reader) =>
        new(reader.GetInt64(0), new SeqRange(reader.GetInt64(1), reader.GetInt64(2)), Enum.Parse<GapStatus>(reader.GetString(3)));

    private static byte[] WholeArray(ReadOnlyMemory<byte> bytes) =>
        MemoryMarshal.TryGetArray(bytes, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : bytes.ToArray();
}
