using System.Runtime.InteropServices;
using EquipmentIoT.Protocols.Telemetry.Commands;
using Microsoft.Data.Sqlite;
using NodaTime;

namespace EquipmentIoT.Cloud.Storage.Sqlite;

/// <summary>
/// The ledger writer's statements, prepared once on its connection and run with new values for every row
/// (a group commit of hundreds of batches runs thousands of them). Not thread-safe: the ledger's write lock
/// guards it. <see cref="Use"/> binds them to the current transaction.
/// </summary>
internal sealed class LedgerCommands : IPreparedCommands, ILedgerCommands
{
    /// <summary>Quarantine keeps at most this much of a payload (its full length is stored beside it).</summary>
    public const int QuarantinePayloadLimit = LedgerLimits.QuarantinePayloadLimit;

    private readonly SqliteCommand _neighbours;
    private readonly SqliteCommand _maxSeq;
    private readonly SqliteCommand _insertBatch;
    private readonly SqliteCommand _insertEvent;
    private readonly SqliteCommand _insertQuarantine;
    private readonly SqliteCommand _findUnfilledGap;
    private readonly SqliteCommand _openGapsOverlapping;
    private readonly SqliteCommand _insertGap;
    private readonly SqliteCommand _updateGap;
    private readonly SqliteCommand _setGapRange;
    private readonly SqliteCommand _copyGap;
    private readonly SqliteCommand _addCounters;
    private readonly SqliteCommand _markSeriesPending;
    private readonly SqliteCommand _markSeriesWritten;
    private readonly SqliteCommand _markGapRequested;
    private SqliteTransaction? _transaction;

    public LedgerCommands(SqliteConnection connection)
    {
        Connection = connection;
        _neighbours = SqliteCommands.Create(connection,
            "SELECT id, seq, hash, prev FROM batches WHERE agent = $agent AND stream = $stream AND seq BETWEEN $low AND $high",
            "$agent", "$stream", "$low", "$high");
        _maxSeq = SqliteCommands.Create(connection,
            "SELECT seq FROM batches WHERE agent = $agent AND stream = $stream ORDER BY seq DESC LIMIT 1", "$agent", "$stream");
        _insertBatch = SqliteCommands.Create(connection, """
            INSERT INTO batches (agent, stream, seq, kid, hash, prev, created, received, points, events, jws)
            VALUES ($agent, $stream, $seq, $kid, $hash, $prev, $created, $received, $points, $events, $jws) RETURNING id
            """, "$agent", "$stream", "$seq", "$kid", "$hash", "$prev", "$created", "$received", "$points", "$events", "$jws");
        _insertEvent = SqliteCommands.Create(connection,
            "INSERT INTO events (agent, device, type, ts, data, batch_id) VALUES ($agent, $device, $type, $ts, $data, $batch)",
            "$agent", "$device", "$type", "$ts", "$data", "$batch");
        _insertQuarantine = SqliteCommands.Create(connection, """
            INSERT INTO quarantine (agent, kid, stream, seq, reason, detail, received, payload_bytes, payload)
            VALUES ($agent, $kid, $stream, $seq, $reason, $detail, $received, $bytes, $payload)
            """, "$agent", "$kid", "$stream", "$seq", "$reason", "$detail", "$received", "$bytes", "$payload");
        // "status <> 'Filled'" repeats the partial index's condition so that SQLite uses gaps_unfilled.
        _findUnfilledGap = SqliteCommands.Create(connection, """
            SELECT id, from_seq, to_seq, status FROM gaps
            WHERE agent = $agent AND stream = $stream AND status <> 'Filled' AND from_seq <= $seq
            ORDER BY from_seq DESC LIMIT 1
            """, "$agent", "$stream", "$seq");
        _openGapsOverlapping = SqliteCommands.Create(connection, """
            SELECT id, from_seq, to_seq, status FROM gaps
            WHERE agent = $agent AND stream = $stream AND status <> 'Filled' AND status = 'Open' AND from_seq <= $to AND to_seq >= $from
            ORDER BY from_seq
            """, "$agent", "$stream", "$from", "$to");
        _insertGap = SqliteCommands.Create(connection, """
            INSERT INTO gaps (agent, stream, from_seq, to_seq, detected, status) VALUES ($agent, $stream, $from, $to, $detected, 'Open') RETURNING id
            """, "$agent", "$stream", "$from", "$to", "$detected");
        _updateGap = SqliteCommands.Create(connection,
            "UPDATE gaps SET from_seq = $from, to_seq = $to, status = $status, resolved_at = $resolved WHERE id = $id",
            "$id", "$from", "$to", "$status", "$resolved");
        _setGapRange = SqliteCommands.Create(connection, "UPDATE gaps SET from_seq = $from, to_seq = $to WHERE id = $id", "$id", "$from", "$to");
        _copyGap = SqliteCommands.Create(connection, """
            INSERT INTO gaps (agent, stream, from_seq, to_seq, detected, requests, last_requested, status, resolved_at)
            SELECT agent, stream, $from, $to, detected, requests, last_requested, status, resolved_at FROM gaps WHERE id = $id
            """, "$id", "$from", "$to");
        _addCounters = SqliteCommands.Create(connection, """
            INSERT INTO agent_integrity (agent, received, stored, duplicates, quarantined, last_received)
            VALUES ($agent, $received, $stored, $duplicates, $quarantined, $last)
            ON CONFLICT (agent) DO UPDATE SET
                received = received + excluded.received,
                stored = stored + excluded.stored,
                duplicates = duplicates + excluded.duplicates,
                quarantined = quarantined + excluded.quarantined,
                last_received = MAX(COALESCE(last_received, excluded.last_received), excluded.last_received)
            """, "$agent", "$received", "$stored", "$duplicates", "$quarantined", "$last");
        _markSeriesPending = SqliteCommands.Create(connection, "INSERT INTO series_pending (batch_id) VALUES ($id)", "$id");
        _markSeriesWritten = SqliteCommands.Create(connection, "DELETE FROM series_pending WHERE batch_id = $id", "$id");
        _markGapRequested = SqliteCommands.Create(connection,
            "UPDATE gaps SET requests = requests + 1, last_requested = $at WHERE id = $id", "$id", "$at");
    }

    public SqliteConnection Connection { get; }

    /// <summary>Runs the following statements inside <paramref name="transaction"/>.</summary>
    public void Use(SqliteTransaction transaction) => _transaction = transaction;

    public async Task<Neighbours> NeighboursAsync(string agent, string stream, long seq, CancellationToken cancellationToken)
    {
        long? sameId = null;
        StoredLink? same = null, before = null, after = null;
        await using var reader = await _neighbours.Bind(_transaction, agent, stream, seq - 1, seq + 1)
            .ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var link = new StoredLink(reader.GetInt64(1), reader.GetString(2), reader.GetStringOrNull(3));
            if (link.Seq == seq)
            {
                same = link;
                sameId = reader.GetInt64(0);
            }
            else if (link.Seq < seq) before = link;
            else after = link;
        }
        return new Neighbours(sameId, same, before, after);
    }

    public async Task<long?> MaxSeqAsync(string agent, string stream, CancellationToken cancellationToken) =>
        await _maxSeq.Bind(_transaction, agent, stream).ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long max ? max : null;

    public async Task<long> InsertBatchAsync(IncomingBatch incoming, CancellationToken cancellationToken)
    {
        var b = incoming.Batch;
        var result = await _insertBatch.Bind(_transaction, b.Agent, b.Stream, b.Seq, incoming.Kid, incoming.Hash, b.Prev,
                UnixMillis.From(b.Created), UnixMillis.From(incoming.Received), b.Metrics.Count, b.Events.Count, WholeArray(incoming.Jws))
            .ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        var id = (long)result!;
        await _markSeriesPending.Bind(_transaction, id).ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return id;
    }

    public async Task InsertEventAsync(string agent, string device, string type, Instant timestamp, string dataJson, long? batchId,
        CancellationToken cancellationToken) =>
        await _insertEvent.Bind(_transaction, agent, device, type, UnixMillis.From(timestamp), dataJson, batchId)
            .ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);

    public async Task InsertQuarantineAsync(QuarantineEntry entry, CancellationToken cancellationToken)
    {
        var payload = entry.Payload.Length > QuarantinePayloadLimit ? entry.Payload[..QuarantinePayloadLimit] : entry.Payload;
        await _insertQuarantine.Bind(_transaction, entry.Agent, entry.Kid, entry.Stream, entry.Seq, entry.Reason.ToString(), entry.Detail,
                UnixMillis.From(entry.Received), entry.Payload.Length, WholeArray(payload))
            .ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The open or reported gap holding <paramref name="seq"/>, if any (gaps of a stream never overlap).</summary>
    public async Task<GapRow?> FindUnfilledGapAsync(string agent, string stream, long seq, CancellationToken cancellationToken)
    {
        await using var reader = await _findUnfilledGap.Bind(_transaction, agent, stream, seq)
            .ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) return null;
        var gap = ReadGap(reader);
        return gap.Range.To >= seq ? gap : null;
    }

    public async Task<List<GapRow>> OpenGapsOverlappingAsync(string agent, string stream, SeqRange range, CancellationToken cancellationToken)
    {
        var gaps = new List<GapRow>();
        await using var reader = await _openGapsOverlapping.Bind(_transaction, agent, stream, range.From, range.To)
            .ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) gaps.Add(ReadGap(reader));
        return gaps;
    }

    public async Task<long> InsertGapAsync(string agent, string stream, SeqRange range, Instant detected, CancellationToken cancellationToken) =>
        (long)(await _insertGap.Bind(_transaction, agent, stream, range.From, range.To, UnixMillis.From(detected))
            .ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;

    /// <summary>Sets a gap's range and status (resolved time for Filled and ReportedUnavailable).</summary>
    public async Task UpdateGapAsync(long id, SeqRange range, GapStatus status, Instant? resolved, CancellationToken cancellationToken) =>
        await _updateGap.Bind(_transaction, id, range.From, range.To, status.ToString(), ResolvedMillis(resolved))
            .ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);

    public async Task SetGapRangeAsync(long id, SeqRange range, CancellationToken cancellationToken) =>
        await _setGapRange.Bind(_transaction, id, range.From, range.To).ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>A new gap row for another piece of gap <paramref name="id"/>: its status, detection, requests and resolution copied.</summary>
    public async Task CopyGapAsync(long id, SeqRange range, CancellationToken cancellationToken) =>
        await _copyGap.Bind(_transaction, id, range.From, range.To).ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);

    public async Task AddCountersAsync(string agent, IntegrityCounts counts, CancellationToken cancellationToken) =>
        await _addCounters.Bind(_transaction, agent, counts.Received, counts.Stored, counts.Duplicates, counts.Quarantined,
                counts.LastReceived is { } last ? UnixMillis.From(last) : null)
            .ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);

    public async Task MarkSeriesWrittenAsync(long batchId, CancellationToken cancellationToken) =>
        await _markSeriesWritten.Bind(_transaction, batchId).ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);

    public async Task<bool> MarkGapRequestedAsync(long gapId, Instant at, CancellationToken cancellationToken) =>
        await _markGapRequested.Bind(_transaction, gapId, UnixMillis.From(at)).ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;

    public async ValueTask DisposeAsync()
    {
        SqliteCommand[] all = [_neighbours, _maxSeq, _insertBatch, _insertEvent, _insertQuarantine, _findUnfilledGap, _openGapsOverlapping,
            _insertGap, _updateGap, _setGapRange, _copyGap, _addCounters, _markSeriesPending, _markSeriesWritten, _markGapRequested];
        foreach (var command in all) await command.DisposeAsync().ConfigureAwait(false);
    }

    private static GapRow ReadGap(SqliteDataReader reader) =>
        new(reader.GetInt64(0), new SeqRange(reader.GetInt64(1), reader.GetInt64(2)), Enum.Parse<GapStatus>(reader.GetString(3)));

    /// <summary>The bytes as an array for a BLOB parameter, without a copy when they already are a whole array.</summary>
    private static byte[] WholeArray(ReadOnlyMemory<byte> bytes) =>
        MemoryMarshal.TryGetArray(bytes, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : bytes.ToArray();

    private static long? ResolvedMillis(Instant? resolved) => resolved is { } r ? UnixMillis.From(r) : null;
}
