using System.Text;
using System.Text.Json;
using EquipmentIoT.Cloud.Registry;
using Microsoft.Data.Sqlite;
using NodaTime;
using static EquipmentIoT.Cloud.Storage.Sqlite.SqliteRecordValues;

namespace EquipmentIoT.Cloud.Storage.Sqlite;

public sealed partial class SqliteRegistryStore
{
    private const int MaxLimit = 10_000;

    private const string DeviceColumns = """
        id, agent_id, first_seen, last_seen, device_class, manufacturer, model, serial_number, department, location,
        installation_date, owner_unit, licence_number, site, name
        """;

    // Fields a free-text search looks in.
    private static readonly string[] TextColumns =
        ["id", "name", "device_class", "manufacturer", "model", "serial_number", "department", "location", "owner_unit", "licence_number", "site"];

    /// <inheritdoc/>
    /// <remarks>
    /// Runs after every ingest group commit, so it is two statements in one transaction whatever the number of
    /// devices: an upsert over <c>json_each</c> of the device ids (last-seen only moves forward; a redelivered
    /// old batch does not move it back) and the agent's last-seen.
    /// </remarks>
    public async Task TouchAsync(string agentId, IReadOnlyCollection<string> devices, Instant at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agentId);
        ArgumentNullException.ThrowIfNull(devices);
        var stamp = Text(at);
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = c.BeginTransaction(deferred: false);
        if (devices.Count > 0)
        {
            await using var upsert = c.CreateCommand();
            upsert.Transaction = tx;
            // "WHERE true" resolves the parsing ambiguity of an upsert on INSERT … SELECT (SQLite lang_upsert §2.2).
            upsert.CommandText = """
                INSERT INTO devices (id, agent_id, first_seen, last_seen)
                SELECT value, $agent, $at, $at FROM json_each($devices) WHERE true
                ON CONFLICT (id) DO UPDATE SET
                    agent_id = excluded.agent_id,
                    last_seen = excluded.last_seen,
                    first_seen = COALESCE(devices.first_seen, excluded.first_seen)
                WHERE devices.last_seen IS NULL OR excluded.last_seen > devices.last_seen
                """;
            Add(upsert, "$agent", agentId);
            Add(upsert, "$at", stamp);
            Add(upsert, "$devices", JsonSerializer.Serialize(devices, RegistryJson.Default.IReadOnlyCollectionString));
            await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await using (var agent = c.CreateCommand())
        {
            agent.Transaction = tx;
            agent.CommandText = "UPDATE agents SET last_seen = $at WHERE id = $agent AND (last_seen IS NULL OR last_seen < $at)";
            Add(agent, "$agent", agentId);
            Add(agent, "$at", stamp);
            await agent.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<DeviceRecord?> GetDeviceAsync(string deviceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await GetDeviceAsync(c, null, deviceId, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<DeviceRecord>> ListDevicesAsync(DeviceQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = c.CreateCommand();
        var where = Filter(command, query);
        command.CommandText = $"SELECT {DeviceColumns} FROM devices {where} ORDER BY id LIMIT $limit";
        Add(command, "$limit", Math.Clamp(query.Limit, 1, MaxLimit));
        var devices = new List<DeviceRecord>();
        await using var r = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false)) devices.Add(ReadDevice(r));
        return devices;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<DeviceCount>> CountDevicesAsync(DeviceQuery query, AssetField groupBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var column = ColumnOf(groupBy);
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = c.CreateCommand();
        var where = Filter(command, query);
        command.CommandText = $"SELECT {column}, COUNT(*) FROM devices {where} GROUP BY {column} ORDER BY COUNT(*) DESC, {column}";
        var counts = new List<DeviceCount>();
        await using var r = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false)) counts.Add(new DeviceCount(r.GetStringOrNull(0), r.GetInt64(1)));
        return counts;
    }

    /// <inheritdoc/>
    public async Task<DeviceRecord> SaveAssetAsync(string deviceId, AssetRecord asset, CancellationToken cancellationToken)
    {
        if (RegistryRules.ValidateDeviceId(deviceId) is { } idError) throw new RegistryException($"device '{deviceId}': {idError}");
        RegistryRules.CheckAsset(asset);
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = c.BeginTransaction(deferred: false);
        if (asset.Site is not null && !await ExistsAsync(c, tx, "sites", asset.Site, cancellationToken).ConfigureAwait(false))
            throw new RegistryException($"no site '{asset.Site}' is registered: save the site (with its time zone) first");
        await using (var upsert = c.CreateCommand())
        {
            upsert.Transaction = tx;
            upsert.CommandText = """
                INSERT INTO devices (id, device_class, manufacturer, model, serial_number, department, location, installation_date,
                                     owner_unit, licence_number, site, name)
                VALUES ($id, $class, $manufacturer, $model, $serial, $department, $location, $installed, $owner, $licence, $site, $name)
                ON CONFLICT (id) DO UPDATE SET
                    device_class = excluded.device_class, manufacturer = excluded.manufacturer, model = excluded.model,
                    serial_number = excluded.serial_number, department = excluded.department, location = excluded.location,
                    installation_date = excluded.installation_date, owner_unit = excluded.owner_unit,
                    licence_number = excluded.licence_number, site = excluded.site, name = excluded.name
                """;
            Add(upsert, "$id", deviceId);
            Add(upsert, "$class", asset.DeviceClass);
            Add(upsert, "$manufacturer", asset.Manufacturer);
            Add(upsert, "$model", asset.Model);
            Add(upsert, "$serial", asset.SerialNumber);
            Add(upsert, "$department", asset.Department);
            Add(upsert, "$location", asset.Location);
            Add(upsert, "$installed", Text(asset.InstallationDate));
            Add(upsert, "$owner", asset.OwnerUnit);
            Add(upsert, "$licence", asset.LicenceNumber);
            Add(upsert, "$site", asset.Site);
            Add(upsert, "$name", asset.Name);
            await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        var saved = await GetDeviceAsync(c, tx, deviceId, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return saved!;
    }

    private static async Task<DeviceRecord?> GetDeviceAsync(SqliteConnection c, SqliteTransaction? tx, string deviceId, CancellationToken cancellationToken)
    {
        await using var query = c.CreateCommand();
        query.Transaction = tx;
        query.CommandText = $"SELECT {DeviceColumns} FROM devices WHERE id = $id";
        Add(query, "$id", deviceId);
        await using var r = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await r.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadDevice(r) : null;
    }

    private static DeviceRecord ReadDevice(SqliteDataReader r) => new(
        r.GetString(0), r.GetStringOrNull(1), ReadNullableInstant(r, 2), ReadNullableInstant(r, 3),
        new AssetRecord(
            DeviceClass: r.GetStringOrNull(4), Manufacturer: r.GetStringOrNull(5), Model: r.GetStringOrNull(6),
            SerialNumber: r.GetStringOrNull(7), Department: r.GetStringOrNull(8), Location: r.GetStringOrNull(9),
            InstallationDate: ReadNullableDate(r, 10), OwnerUnit: r.GetStringOrNull(11), LicenceNumber: r.GetStringOrNull(12),
            Site: r.GetStringOrNull(13), Name: r.GetStringOrNull(14)));

    // Text fields match case-insensitively by substring (instr over lower(): ASCII case folding, which is what
    // SQLite offers without ICU; CJK text has no case). Class, site and agent are identifiers: exact.
    private static string Filter(SqliteCommand command, DeviceQuery query)
    {
        var where = new StringBuilder();
        void Condition(string sql)
        {
            where.Append(where.Length == 0 ? "WHERE " : " AND ").Append(sql);
        }
        void Contains(string column, string parameter, string? value)
        {
            if (string.IsNullOrEmpty(value)) return;
            Condition($"instr(lower({column}), lower({parameter})) > 0");
            Add(command, parameter, value);
        }
        void Exact(string column, string parameter, string? value)
        {
            if (value is null) return;
            Condition($"{column} = {parameter}");
            Add(command, parameter, value);
        }

        if (!string.IsNullOrEmpty(query.Text))
        {
            Condition("(" + string.Join(" OR ", TextColumns.Select(col => $"instr(lower(COALESCE({col}, '')), lower($text)) > 0")) + ")");
            Add(command, "$text", query.Text);
        }
        Exact("device_class", "$class", query.DeviceClass);
        Contains("manufacturer", "$manufacturer", query.Manufacturer);
        Contains("model", "$model", query.Model);
        Contains("department", "$department", query.Department);
        Contains("location", "$location", query.Location);
        Contains("owner_unit", "$owner", query.OwnerUnit);
        Exact("site", "$site", query.Site);
        Exact("agent_id", "$agent", query.AgentId);
        return where.ToString();
    }

    private static string ColumnOf(AssetField field) => field switch
    {
        AssetField.DeviceClass => "device_class",
        AssetField.Manufacturer => "manufacturer",
        AssetField.Model => "model",
        AssetField.Department => "department",
        AssetField.Location => "location",
        AssetField.OwnerUnit => "owner_unit",
        AssetField.Site => "site",
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "not an asset field devices can be grouped by"),
    };
}
