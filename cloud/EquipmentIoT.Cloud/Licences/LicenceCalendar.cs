using EquipmentIoT.Cloud.Storage;
using Microsoft.Extensions.Options;
using NodaTime;

namespace EquipmentIoT.Cloud.Licences;

/// <summary>"Today" for each licence: the local date of its site's time zone, or of <see cref="LicenceOptions.TimeZone"/>.</summary>
public sealed class LicenceCalendar(IRegistryStore registry, IClock clock, IOptions<LicenceOptions> options)
{
    /// <summary>The configured fallback zone.</summary>
    public DateTimeZone Fallback => DateTimeZoneProviders.Tzdb.GetZoneOrNull(options.Value.TimeZone) ?? DateTimeZoneProviders.Tzdb["Asia/Shanghai"];

    /// <summary>The sites' zones as of now, and the current instant: one consistent view for a run or a listing.</summary>
    public async Task<LicenceDay> NowAsync(CancellationToken cancellationToken)
    {
        var sites = await registry.ListSitesAsync(cancellationToken).ConfigureAwait(false);
        var zones = new Dictionary<string, DateTimeZone>(StringComparer.Ordinal);
        foreach (var site in sites)
        {
            if (DateTimeZoneProviders.Tzdb.GetZoneOrNull(site.TimeZone) is { } zone) zones[site.Id] = zone;
        }

        return new LicenceDay(clock.GetCurrentInstant(), zones, Fallback);
    }
}

/// <summary>One instant seen from each licence's site.</summary>
public sealed record LicenceDay(Instant Now, IReadOnlyDictionary<string, DateTimeZone> SiteZones, DateTimeZone Fallback)
{
    /// <summary>The zone of a site, or the fallback for none, an unknown site or a site whose zone is not an IANA id.</summary>
    public DateTimeZone ZoneOf(string? siteId) => siteId is not null && SiteZones.TryGetValue(siteId, out var zone) ? zone : Fallback;

    /// <summary>The local date at the licence's site.</summary>
    public LocalDate TodayOf(Licence licence)
    {
        ArgumentNullException.ThrowIfNull(licence);
        return Now.InZone(ZoneOf(licence.SiteId)).Date;
    }

    /// <summary>The licence's band today; none once it is fulfilled or revoked.</summary>
    public LicenceBand BandOf(Licence licence) =>
        licence?.Status == LicenceStatus.Active ? LicenceBands.On(licence.Deadline, TodayOf(licence)) : LicenceBand.None;
}
