using EquipmentIoT.Cloud.Storage;
using NodaTime;

namespace EquipmentIoT.Cloud.Maintenance;

/// <summary>Where a device is: its site, class and the site's time zone (UTC when it has no site, or the site's zone is unknown).</summary>
public sealed record DevicePlace(string Device, string? Site, string? DeviceClass, DateTimeZone Zone)
{
    /// <summary>The device's local date at <paramref name="now"/>.</summary>
    public LocalDate Today(Instant now) => now.InZone(Zone).Date;
}

/// <summary>
/// Devices and sites as maintenance needs them: due dates are local dates of the device's site, so that "due 31 March" means the
/// site's 31 March. Read once per run or request (asset records change rarely).
/// </summary>
public sealed class MaintenanceZones(IRegistryStore registry)
{
    private const int MaxDevices = 10_000;

    /// <summary>A snapshot of every device's place.</summary>
    public async Task<DevicePlaces> LoadAsync(CancellationToken cancellationToken)
    {
        var zones = await SiteZonesAsync(cancellationToken).ConfigureAwait(false);
        var devices = await registry.ListDevicesAsync(new DeviceQuery(Limit: MaxDevices), cancellationToken).ConfigureAwait(false);
        return new DevicePlaces(zones, devices.ToDictionary(d => d.Id, d => d, StringComparer.Ordinal));
    }

    /// <summary>One device's place, or null when the registry does not know it.</summary>
    public async Task<DevicePlace?> OfAsync(string device, CancellationToken cancellationToken)
    {
        var record = await registry.GetDeviceAsync(device, cancellationToken).ConfigureAwait(false);
        if (record is null) return null;
        var zones = await SiteZonesAsync(cancellationToken).ConfigureAwait(false);
        return new DevicePlaces(zones, new Dictionary<string, DeviceRecord>(StringComparer.Ordinal) { [device] = record }).Of(device);
    }

    private async Task<Dictionary<string, DateTimeZone>> SiteZonesAsync(CancellationToken cancellationToken)
    {
        var zones = new Dictionary<string, DateTimeZone>(StringComparer.Ordinal);
        foreach (var site in await registry.ListSitesAsync(cancellationToken).ConfigureAwait(false))
        {
            // The registry checks zones when sites are saved; a zone a newer tzdb renamed away falls back to UTC rather than failing the run.
            zones[site.Id] = DateTimeZoneProviders.Tzdb.GetZoneOrNull(site.TimeZone) ?? DateTimeZone.Utc;
        }
        return zones;
    }
}

/// <summary>A snapshot of the registry's devices and site zones.</summary>
public sealed class DevicePlaces(IReadOnlyDictionary<string, DateTimeZone> siteZones, IReadOnlyDictionary<string, DeviceRecord> devices)
{
    /// <summary>True when the registry knows the device.</summary>
    public bool Knows(string device) => devices.ContainsKey(device);

    /// <summary>The device's place; an unknown device (or one without a site) is placed in UTC.</summary>
    public DevicePlace Of(string device)
    {
        if (!devices.TryGetValue(device, out var record)) return new DevicePlace(device, null, null, DateTimeZone.Utc);
        var zone = record.Asset.Site is { } site && siteZones.TryGetValue(site, out var z) ? z : DateTimeZone.Utc;
        return new DevicePlace(device, record.Asset.Site, record.Asset.DeviceClass, zone);
    }
}
