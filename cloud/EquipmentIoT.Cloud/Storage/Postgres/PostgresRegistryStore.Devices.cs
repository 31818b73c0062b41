using System.Text;
using EquipmentIoT.Cloud.Registry;
using Npgsql;
using NodaTime;
using static EquipmentIoT.Cloud.Storage.Postgres.PostgresCommands;
using static EquipmentIoT.Cloud.Storage.Postgres.PostgresRecordValues;

namespace EquipmentIoT.Cloud.Storage.Postgres;

public sealed partial class PostgresRegistryStore
{
    private const int MaxLimit = 10_000;

    private const string DeviceColumns = """
        id, agent_id, first_seen, last_seen, device_class, manufacturer, model, serial_number, department, location,
        installation_date, owner_unit, licence_number, site, name
        """;

    private static readonly string[] TextColumns =
        ["id", "name", "device_class", "manufacturer", "model", "serial_number", "department", "location", "owner_unit", "licence_number", "site"];

    /// <inheritdoc/>
    /// <remarks>
    /// Two statements in one transaction whatever the number of devices: an upsert over the distinct, sorted device
    /// ids (sorted: two instances touching the same devices lock the rows in one order; distinct: an upsert may not
    /// touch a row twice), where last-seen only moves forward, and the agent's last-seen.
    /// </remarks>
    public Task TouchAsync(string agentId, IReadOnlyCollection<string> devices, Instant at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agentId);
        ArgumentNullException.ThrowIfNull(devices);
        var stamp = InstantText(at);
        var ids = devices.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        return _db.RunAsync(async (c, tx, ct) =>
        {
            if (ids.Length > 0)
            {
                await ExecuteAsync(c, tx, """
                    INSERT INTO devices AS d (id, agent_id, first_seen, last_seen)
                    SELECT id, $1, $2, $2 FROM unnest($3::text[]) AS id
                    ON CONFLICT (id) DO UPDATE SET
                        agent_id = excluded.agent_id,
                        last_seen = excluded.last_seen,
                        first_seen = COALESCE(d.first_seen, excluded.first_seen)
                    WHERE d.last_seen IS NULL OR excluded.last_seen > d.last_seen
                    """, ct, agentId, stamp, ids).ConfigureAwait(false);
            }
            await ExecuteAsync(c, tx, "UPDATE agents SET last_seen = $2 WHERE id = $1 AND (last_seen IS NULL OR last_seen < $2)", ct, agentId, stamp)
                .ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<DeviceRecord?> GetDeviceAsync(string deviceId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        return _db.RunAsync((c, tx, ct) => GetDeviceAsync(c, tx, deviceId, ct), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<DeviceRecord>> ListDevicesAsync(DeviceQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var values = new List<object?>();
        var where = Filter(values, query);
        values.Add(Math.Clamp(query.Limit, 1, MaxLimit));
        var sql = $"SELECT {DeviceColumns} FROM devices {where} ORDER BY id LIMIT ${values.Count}";
        var array = values.ToArray();
        return _db.RunAsync<IReadOnlyList<DeviceRecord>>(async (c, tx, ct) => await ReadAllAsync(c, tx, sql, ReadDevice, ct, array).ConfigureAwait(false),
            cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<DeviceCount>> CountDevicesAsync(DeviceQuery query, AssetField groupBy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var column = ColumnOf(groupBy);
        var values = new List<object?>();
        var where = Filter(values, query);
        var sql = $"SELECT {column}, COUNT(*) FROM devices {where} GROUP BY {column} ORDER BY COUNT(*) DESC, {column} NULLS FIRST";
        var array = values.ToArray();
        return _db.RunAsync<IReadOnlyList<DeviceCount>>(async (c, tx, ct) => await ReadAllAsync(c, tx, sql,
            r => new DeviceCount(r.GetStringOrNull(0), r.GetInt64(1)), ct, array).ConfigureAwait(false), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<DeviceRecord> SaveAssetAsync(string deviceId, AssetRecord asset, CancellationToken cancellationToken)
    {
        if (RegistryRules.ValidateDeviceId(deviceId) is { } idError) throw new RegistryException($"device '{deviceId}': {idError}");
        RegistryRules.CheckAsset(asset);
        return _db.RunAsync(async (c, tx, ct) =>
        {
            if (asset.Site is not null && await ScalarAsync(c, tx, "SELECT 1 FROM sites WHERE id = $1", ct, asset.Site).ConfigureAwait(false) is null)
                throw new RegistryException($"no site '{asset.Site}' is registered: save the site (with its time zone) first");
            await ExecuteAsync(c, tx, """
                INSERT INTO devices (id, device_class, manufacturer, model, serial_number, department, location, installation_date,
                                     owner_unit, licence_number, site, name)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
                ON CONFLICT (id) DO UPDATE SET
                    device_class = excluded.device_class, manufacturer = excluded.manufacturer, model = excluded.model,
                    serial_number = excluded.serial_number, department = excluded.department, location = excluded.location,
                    installation_date = excluded.installation_date, owner_unit = excluded.owner_unit,
                    licence_number = excluded.licence_number, site = excluded.site, name = excluded.name
                """, ct, deviceId, asset.DeviceClass, asset.Manufacturer, asset.Model, asset.SerialNumber, asset.Department, asset.Location,
                DateText(asset.InstallationDate), asset.OwnerUnit, asset.LicenceNumber, asset.Site, asset.Name).ConfigureAwait(false);
            return (await GetDeviceAsync(c, tx, deviceId, ct).ConfigureAwait(false))!;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<SiteRecord> SaveSiteAsync(SiteRecord site, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(site);
        if (RegistryRules.ValidateSiteId(site.Id) is { } idError) throw new RegistryException($"site '{site.Id}': {idError}");
        if (string.IsNullOrWhiteSpace(site.Name)) throw new RegistryException($"site '{site.Id}' needs a name");
        RegistryRules.CheckText("name", site.Name);
        RegistryRules.RequireZone(site.TimeZone);
        return _db.RunAsync(async (c, tx, ct) =>
        {
            await ExecuteAsync(c, tx, """
                INSERT INTO sites (id, name, time_zone) VALUES ($1, $2, $3)
                ON CONFLICT (id) DO UPDATE SET name = excluded.name, time_zone = excluded.time_zone
                """, ct, site.Id, site.Name, site.TimeZone).ConfigureAwait(false);
            return site;
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<SiteRecord>> ListSitesAsync(CancellationToken cancellationToken) =>
        _db.RunAsync<IReadOnlyList<SiteRecord>>(async (c, tx, ct) => await ReadAllAsync(c, tx, "SELECT id, name, time_zone FROM sites ORDER BY id",
            r => new SiteRecord(r.GetString(0), r.GetString(1), r.GetString(2)), ct).ConfigureAwait(false), cancellationToken);

    private static async Task<DeviceRecord?> GetDeviceAsync(NpgsqlConnection c, NpgsqlTransaction tx, string deviceId, CancellationToken cancellationToken)
    {
        var devices = await ReadAllAsync(c, tx, $"SELECT {DeviceColumns} FROM devices WHERE id = $1", ReadDevice, cancellationToken, deviceId)
            .ConfigureAwait(false);
        return devices.Count == 0 ? null : devices[0];
    }

    private static DeviceRecord ReadDevice(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetStringOrNull(1), ReadNullableInstant(r, 2), ReadNullableInstant(r, 3),
        new AssetRecord(
            DeviceClass: r.GetStringOrNull(4), Manufacturer: r.GetStringOrNull(5), Model: r.GetStringOrNull(6),
            SerialNumber: r.GetStringOrNull(7), Department: r.GetStringOrNull(8), Location: r.GetStringOrNull(9),
            InstallationDate: ReadNullableDate(r, 10), OwnerUnit: r.GetStringOrNull(11), LicenceNumber: r.GetStringOrNull(12),
            Site: r.GetStringOrNull(13), Name: r.GetStringOrNull(14)));

    // As SqliteRegistryStore: text fields match case-insensitively by substring (strpos over lower(); the columns are
    // COLLATE "C", so lower() folds ASCII as SQLite's does), class, site and agent exactly.
    private static string Filter(List<object?> values, DeviceQuery query)
    {
        var where = new StringBuilder();
        void Condition(string sql) => where.Append(where.Length == 0 ? "WHERE " : " AND ").Append(sql);
        string Parameter(object value)
        {
            values.Add(value);
            return "$" + values.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        void Contains(string column, string? value)
        {
            if (string.IsNullOrEmpty(value)) return;
            Condition($"strpos(lower({column}), lower({Parameter(value)})) > 0");
        }
        void Exact(string column, string? value)
        {
            if (value is null) return;
            Condition($"{column} = {Parameter(value)}");
        }

        if (!string.IsNullOrEmpty(query.Text))
        {
            var text = Parameter(query.Text);
            Condition("(" + string.Join(" OR ", TextColumns.Select(col => $"strpos(lower(COALESCE({col}, '')), lower({text})) > 0")) + ")");
        }
        Exact("device_class", query.DeviceClass);
        Contains("manufacturer", query.Manufacturer);
        Contains("model", query.Model);
        Contains("department", query.Department);
        Contains("location", query.Location);
        Contains("owner_unit", query.OwnerUnit);
        Exact("site", query.Site);
        Exact("agent_id", query.AgentId);
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
