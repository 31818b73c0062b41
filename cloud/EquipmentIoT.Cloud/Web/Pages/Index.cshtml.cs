using EquipmentIoT.Cloud.Alarms;
using EquipmentIoT.Cloud.Storage;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace EquipmentIoT.Cloud.Web.Pages;

/// <summary>A device as the fleet shows it: its status colour, newest values and open alarms.</summary>
public sealed record FleetDevice(DeviceRecord Device, string Status, IReadOnlyList<LatestValue> Values, IReadOnlyList<Alarm> Alarms);

/// <summary>
/// The fleet: every device (filtered by site and class) with a status colour — critical alarm, offline, alarm, ok — last seen,
/// key values and open alarms. Three store reads whatever the fleet's size: devices, every latest value, open alarms.
/// </summary>
public sealed class IndexModel(IRegistryStore registry, ISeriesStore series, IAlarmStore alarms) : UiPageModel
{
    /// <summary>A device not heard from for this long is offline.</summary>
    public static readonly Duration OfflineAfter = Duration.FromMinutes(10);

    private const int MaxDevices = 500;
    private const int KeyValues = 4;

    [BindProperty(SupportsGet = true)]
    public string? Site { get; set; }

    [BindProperty(SupportsGet = true, Name = "class")]
    public string? DeviceClass { get; set; }

    public IReadOnlyList<FleetDevice> Devices { get; private set; } = [];

    public IReadOnlyList<SiteRecord> Sites { get; private set; } = [];

    public IReadOnlyList<string> Classes { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Site = string.IsNullOrWhiteSpace(Site) ? null : Site;
        DeviceClass = string.IsNullOrWhiteSpace(DeviceClass) ? null : DeviceClass;
        var devices = await registry.ListDevicesAsync(new DeviceQuery(Site: Site, DeviceClass: DeviceClass, Limit: MaxDevices), cancellationToken);
        Sites = await registry.ListSitesAsync(cancellationToken);
        Classes = [.. (await registry.CountDevicesAsync(new DeviceQuery(), AssetField.DeviceClass, cancellationToken))
            .Where(c => c.Value is not null).Select(c => c.Value!).Order(StringComparer.Ordinal)];
        var latest = (await series.LatestAsync(null, cancellationToken)).ToLookup(v => v.Device, StringComparer.Ordinal);
        var open = (await alarms.ListAsync(new AlarmQuery(Open: true, Limit: 1000), cancellationToken)).ToLookup(a => a.Device, StringComparer.Ordinal);
        Ui.KnowDevices(devices);
        Devices = [.. devices.Select(d =>
        {
            var a = open[d.Id].ToList();
            return new FleetDevice(d, StatusOf(d, a, Ui.Now), [.. latest[d.Id].OrderBy(v => v.Metric, StringComparer.Ordinal).Take(KeyValues)], a);
        })];
    }

    /// <summary>critical (a critical or major alarm) › offline › alarm › ok.</summary>
    public static string StatusOf(DeviceRecord device, IReadOnlyList<Alarm> open, Instant now)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(open);
        if (open.Any(a => a.Severity is AlarmSeverity.Critical or AlarmSeverity.Major)) return "critical";
        if (device.LastSeen is not { } seen || now - seen > OfflineAfter) return "offline";
        return open.Count > 0 ? "alarm" : "ok";
    }
}
