using EquipmentIoT.Cloud.Storage;
using NodaTime;

namespace EquipmentIoT.Cloud.Api.Contracts;

/// <summary>A device with its asset record and its newest value per metric.</summary>
public sealed record DeviceView(string Id, string? AgentId, Instant? FirstSeen, Instant? LastSeen, AssetRecord Asset, IReadOnlyList<LatestValue> Latest)
{
    public static DeviceView Of(DeviceRecord device, IReadOnlyList<LatestValue> latest) =>
        new(device.Id, device.AgentId, device.FirstSeen, device.LastSeen, device.Asset, latest);
}

/// <summary>A device with its asset record, newest values and the metrics stored for it.</summary>
public sealed record DeviceDetail(string Id, string? AgentId, Instant? FirstSeen, Instant? LastSeen, AssetRecord Asset,
    IReadOnlyList<LatestValue> Latest, IReadOnlyList<SeriesInfo> Series);

/// <summary>Points of one metric of one device; <paramref name="Truncated"/> when the point limit cut the answer.</summary>
public sealed record SeriesResponse(string Device, string Metric, Instant From, Instant To, long? StepSeconds, SeriesAggregate? Aggregate,
    IReadOnlyList<SeriesPoint> Points, bool Truncated);

/// <summary>Creates or renames a site; <paramref name="TimeZone"/> is an IANA id such as "Asia/Shanghai".</summary>
public sealed record SiteRequest(string Name, string TimeZone);
