using EquipmentIoT.Cloud.Registry;
using static EquipmentIoT.Cloud.Storage.Sqlite.SqliteRecordValues;

namespace EquipmentIoT.Cloud.Storage.Sqlite;

public sealed partial class SqliteRegistryStore
{
    /// <inheritdoc/>
    public async Task<SiteRecord> SaveSiteAsync(SiteRecord site, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(site);
        if (RegistryRules.ValidateSiteId(site.Id) is { } idError) throw new RegistryException($"site '{site.Id}': {idError}");
        if (string.IsNullOrWhiteSpace(site.Name)) throw new RegistryException($"site '{site.Id}' needs a name");
        RegistryRules.CheckText("name", site.Name);
        RegistryRules.RequireZone(site.TimeZone);
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var upsert = c.CreateCommand();
        upsert.CommandText = """
            INSERT INTO sites (id, name, time_zone) VALUES ($id, $name, $zone)
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, time_zone = excluded.time_zone
            """;
        Add(upsert, "$id", site.Id);
        Add(upsert, "$name", site.Name);
        Add(upsert, "$zone", site.TimeZone);
        await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return site;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<SiteRecord>> ListSitesAsync(CancellationToken cancellationToken)
    {
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var query = c.CreateCommand();
        query.CommandText = "SELECT id, name, time_zone FROM sites ORDER BY id";
        var sites = new List<SiteRecord>();
        await using var r = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false)) sites.Add(new SiteRecord(r.GetString(0), r.GetString(1), r.GetString(2)));
        return sites;
    }
}
