using System.Text;
using System.Text.Json;
using EquipmentIoT.Cloud.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using NodaTime.Text;
using static EquipmentIoT.Cloud.Storage.Sqlite.SqliteCommands;
using static EquipmentIoT.Cloud.Storage.Sqlite.SqliteRecordValues;

namespace EquipmentIoT.Cloud.Builds.Sqlite;

public sealed partial class SqliteBuildStore
{
    private const string BuildColumns = """
        id, batch_number, device, agent, job_id, layers_planned, layers_started, status, started, ended, pauses, faults, recoater_passes,
        excursion_layers, summarised, sealed
        """;

    private const string PartColumns = "id, build_id, part_number, gtin, lot, production_date, serial, udi, udi_element, case_ref, device_name, entry_id";

    // An entry is in effect unless a later entry corrects it.
    private const string Effective = "NOT EXISTS (SELECT 1 FROM build_entries x WHERE x.corrects = e.id)";

    /// <inheritdoc/>
    public async Task<IReadOnlyList<BuildRecord>> ListAsync(BuildQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Limit);
        var where = new StringBuilder("WHERE 1 = 1");
        var binds = new List<(string, object?)>();
        void Filter(object? value, string condition, string name)
        {
            if (value is null) return;
            where.Append(" AND ").Append(condition);
            binds.Add((name, value));
        }

        Filter(query.Device, "device = $device", "$device");
        Filter(query.From is { } from ? Text(from) : null, "coalesce(ended, '9999') >= $from", "$from");
        Filter(query.To is { } to ? Text(to) : null, "started < $to", "$to");
        Filter(query.Status?.ToString(), "status = $status", "$status");
        Filter(query.PowderLot, $"id IN (SELECT e.build_id FROM build_entries e WHERE e.kind = 'material' AND json_extract(e.fields, '$.powder_lot') = $lot AND {Effective})", "$lot");
        Filter(query.Material, $"id IN (SELECT e.build_id FROM build_entries e WHERE e.kind = 'material' AND json_extract(e.fields, '$.material') = $material AND {Effective})", "$material");
        Filter(query.CaseRef, $"id IN (SELECT e.build_id FROM build_entries e WHERE e.kind IN ('order', 'part') AND json_extract(e.fields, '$.case_ref') = $case AND {Effective})", "$case");
        if (query.Sealed is { } isSealed) where.Append(isSealed ? " AND sealed IS NOT NULL" : " AND sealed IS NULL");
        where.Append(" ORDER BY started DESC, id DESC LIMIT $limit");
        binds.Add(("$limit", query.Limit));
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await QueryBuildsAsync(c, null, where.ToString(), cmd =>
        {
            foreach (var (name, value) in binds) Add(cmd, name, value);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<BuildDetail?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = c.BeginTransaction(deferred: true);
        return await ReadDetailAsync(c, tx, id, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<long?> FindByBatchAsync(string batchNumber, CancellationToken cancellationToken)
    {
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ScalarAsync(c, null, "SELECT id FROM builds WHERE batch_number = $batch", cancellationToken, ("$batch", batchNumber))
            .ConfigureAwait(false) as long?;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<BuildLedgerLink>> LedgerAsync(CancellationToken cancellationToken)
    {
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await ReadLedgerAsync(c, null, null, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<BuildPart>> PartsAsync(PartQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = c.CreateCommand();
        var sql = new StringBuilder($"SELECT {PartColumns} FROM build_parts WHERE 1 = 1");
        void Filter(object? value, string condition, string name)
        {
            if (value is null) return;
            sql.Append(" AND ").Append(condition);
            Add(command, name, value);
        }

        Filter(query.BuildId, "build_id = $build", "$build");
        Filter(query.CaseRef, "case_ref = $case", "$case");
        Filter(query.Lot, "lot = $lot", "$lot");
        Filter(query.Serial, "serial = $serial", "$serial");
        command.CommandText = sql.Append(" ORDER BY id LIMIT $limit").ToString();
        Add(command, "$limit", query.Limit);
        return await command.ReadAllAsync(ReadPart, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<BuildDetail?> ReadDetailAsync(SqliteConnection c, SqliteTransaction tx, long id, CancellationToken cancellationToken)
    {
        var records = await QueryBuildsAsync(c, tx, "WHERE id = $id", cmd => Add(cmd, "$id", id), cancellationToken).ConfigureAwait(false);
        if (records.Count == 0) return null;

        var signals = new Dictionary<int, List<SignalSummary>>();
        await using (var command = Command(c, tx, """
            SELECT layer, signal, unit, count, min, max, mean, outside, window_min, window_max FROM build_signals WHERE build_id = $id ORDER BY layer, signal
            """, ("$id", id)))
        {
            await using var r = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var layer = r.GetInt32(0);
                if (!signals.TryGetValue(layer, out var list)) signals[layer] = list = [];
                list.Add(new SignalSummary(r.GetString(1), r.GetStringOrNull(2), r.GetInt64(3), r.GetDouble(4), r.GetDouble(5), r.GetDouble(6),
                    r.GetInt64(7), r.IsDBNull(8) ? null : r.GetDouble(8), r.IsDBNull(9) ? null : r.GetDouble(9)));
            }
        }

        List<BuildLayer> layers;
        await using (var command = Command(c, tx, "SELECT layer, started, ended FROM build_layers WHERE build_id = $id ORDER BY layer", ("$id", id)))
        {
            layers = await command.ReadAllAsync(r => new BuildLayer(r.GetInt32(0), ReadInstant(r, 1), ReadNullableInstant(r, 2),
                signals.TryGetValue(r.GetInt32(0), out var s) ? s : []), cancellationToken).ConfigureAwait(false);
        }

        List<BuildTimelineItem> timeline;
        await using (var command = Command(c, tx, "SELECT event_id, at, kind, detail FROM build_timeline WHERE build_id = $id ORDER BY event_id", ("$id", id)))
        {
            timeline = await command.ReadAllAsync(r => new BuildTimelineItem(r.GetInt64(0), ReadInstant(r, 1), r.GetString(2), r.GetString(3)),
                cancellationToken).ConfigureAwait(false);
        }

        List<BuildEntry> entries;
        await using (var command = Command(c, tx, """
            SELECT id, build_id, kind, fields, actor, role, at, corrects, prev_hash, hash FROM build_entries WHERE build_id = $id ORDER BY id
            """, ("$id", id)))
        {
            entries = await command.ReadAllAsync(ReadEntry, cancellationToken).ConfigureAwait(false);
        }

        List<BuildPart> parts;
        await using (var command = Command(c, tx, $"SELECT {PartColumns} FROM build_parts WHERE build_id = $id ORDER BY id", ("$id", id)))
        {
            parts = await command.ReadAllAsync(ReadPart, cancellationToken).ConfigureAwait(false);
        }

        var ledger = await ReadLedgerAsync(c, tx, id, cancellationToken).ConfigureAwait(false);
        return new BuildDetail(records[0], layers, timeline, entries, parts, ledger);
    }

    private static async Task<List<BuildLedgerLink>> ReadLedgerAsync(SqliteConnection c, SqliteTransaction? tx, long? buildId,
        CancellationToken cancellationToken)
    {
        await using var command = c.CreateCommand();
        command.Transaction = tx;
        command.CommandText = "SELECT seq, kind, build_id, entry_id, last_entry, content_hash, prev_hash, hash, at, actor FROM build_ledger"
            + (buildId is null ? "" : " WHERE build_id = $id") + " ORDER BY seq";
        if (buildId is { } id) Add(command, "$id", id);
        return await command.ReadAllAsync(r => new BuildLedgerLink(r.GetInt64(0), Enum.Parse<BuildLedgerKind>(r.GetString(1)), r.GetInt64(2),
            r.GetInt64OrNull(3), r.GetInt64(4), r.GetString(5), r.GetStringOrNull(6), r.GetString(7), ReadInstant(r, 8), r.GetString(9)),
            cancellationToken).ConfigureAwait(false);
    }

    private static async Task<List<BuildRecord>> QueryBuildsAsync(SqliteConnection c, SqliteTransaction? tx, string where, Action<SqliteCommand>? bind,
        CancellationToken cancellationToken)
    {
        await using var command = c.CreateCommand();
        command.Transaction = tx;
        command.CommandText = $"SELECT {BuildColumns} FROM builds {where}";
        bind?.Invoke(command);
        return await command.ReadAllAsync(r => new BuildRecord(r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetInt64OrNull(4),
            r.IsDBNull(5) ? null : r.GetInt32(5), r.GetInt32(6), Enum.Parse<BuildStatus>(r.GetString(7)), ReadInstant(r, 8), ReadNullableInstant(r, 9),
            r.GetInt32(10), r.GetInt32(11), r.GetInt32(12), r.GetInt32(13), ReadNullableInstant(r, 14), ReadNullableInstant(r, 15)),
            cancellationToken).ConfigureAwait(false);
    }

    private static BuildEntry ReadEntry(SqliteDataReader r) => new(r.GetInt64(0), r.GetInt64(1), r.GetString(2),
        JsonSerializer.Deserialize(r.GetString(3), BuildJsonContext.Default.DictionaryStringString) ?? [], r.GetString(4), r.GetString(5),
        ReadInstant(r, 6), r.GetInt64OrNull(7), r.GetStringOrNull(8), r.GetString(9));

    private static BuildPart ReadPart(SqliteDataReader r) => new(r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetString(4),
        LocalDatePattern.Iso.Parse(r.GetString(5)).Value, r.GetString(6), r.GetString(7), r.GetString(8), r.GetString(9), r.GetString(10), r.GetInt64(11));
}
