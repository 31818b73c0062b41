using EquipmentIoT.Cloud.Api.Auth;
using EquipmentIoT.Cloud.Api.Contracts;
using EquipmentIoT.Cloud.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace EquipmentIoT.Cloud.Api.Endpoints;

/// <summary>Devices: search with asset filters and latest values, one device, its asset record, counts.</summary>
internal static class DeviceEndpoints
{
    private const int MaxDevices = 10_000;

    /// <summary>The asset filters shared by the list and the counts.</summary>
    internal sealed record DeviceFilter(
        [property: FromQuery(Name = "q")] string? Q, [property: FromQuery(Name = "class")] string? Class, string? Manufacturer, string? Model,
        string? Department, string? Location, string? OwnerUnit, string? Site, string? Agent, string? Limit)
    {
        public DeviceQuery ToQuery(ApiParameters p) => new(Q, Class, Manufacturer, Model, Department, Location, OwnerUnit, Site, Agent,
            p.Int("limit", Limit, 1000, 1, MaxDevices));
    }

    public static void Map(RouteGroupBuilder api)
    {
        var devices = api.MapGroup("/devices").WithTags("Devices");
        devices.MapGet("", ListAsync).WithName("ListDevices")
            .WithSummary("Devices matching the asset filters (q: any text field; class, site, agent: exact; others: substring), with latest values");
        devices.MapGet("/counts", CountAsync).WithName("CountDevices")
            .WithSummary("Counts of matching devices grouped by an asset field (groupBy=deviceClass|manufacturer|model|department|location|ownerUnit|site)");
        devices.MapGet("/{id}", GetAsync).WithName("GetDevice").WithSummary("One device with its asset record, latest values and series")
            .ProducesProblem(StatusCodes.Status404NotFound);
        devices.MapPut("/{id}/asset", SaveAssetAsync).WithName("SaveDeviceAsset")
            .WithSummary("Creates or replaces a device's asset record (the equipment archive entry)")
            .ProducesProblem(StatusCodes.Status400BadRequest).RequireAuthorization(ApiPolicies.ManageAssets);
    }

    private static async Task<Results<Ok<IReadOnlyList<DeviceView>>, ValidationProblem>> ListAsync([AsParameters] DeviceFilter filter,
        IRegistryStore registry, ISeriesStore series, CancellationToken cancellationToken)
    {
        var p = new ApiParameters();
        var query = filter.ToQuery(p);
        if (p.Failed) return p.Problem();
        var devices = await registry.ListDevicesAsync(query, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<LatestValue> values = devices.Count == 0 ? [] : await series.LatestAsync(null, cancellationToken).ConfigureAwait(false);
        var latest = values.ToLookup(v => v.Device, StringComparer.Ordinal);
        return TypedResults.Ok<IReadOnlyList<DeviceView>>([.. devices.Select(d => DeviceView.Of(d, [.. latest[d.Id]]))]);
    }

    private static async Task<Results<Ok<IReadOnlyList<DeviceCount>>, ValidationProblem>> CountAsync([AsParameters] DeviceFilter filter,
        string? groupBy, IRegistryStore registry, CancellationToken cancellationToken)
    {
        var p = new ApiParameters();
        var query = filter.ToQuery(p);
        var field = p.Enum<AssetField>("groupBy", groupBy);
        if (field is null && string.IsNullOrEmpty(groupBy)) p.Error("groupBy", "required: one of deviceClass, manufacturer, model, department, location, ownerUnit, site");
        if (p.Failed) return p.Problem();
        return TypedResults.Ok(await registry.CountDevicesAsync(query, field!.Value, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<Results<Ok<DeviceDetail>, ProblemHttpResult>> GetAsync(string id, IRegistryStore registry, ISeriesStore series,
        CancellationToken cancellationToken)
    {
        if (await registry.GetDeviceAsync(id, cancellationToken).ConfigureAwait(false) is not { } device)
            return ApiProblems.NotFound($"no device '{id}' is known");
        var latest = await series.LatestAsync(id, cancellationToken).ConfigureAwait(false);
        var known = await series.SeriesAsync(id, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new DeviceDetail(device.Id, device.AgentId, device.FirstSeen, device.LastSeen, device.Asset, latest, known));
    }

    private static async Task<Ok<DeviceRecord>> SaveAssetAsync(string id, AssetRecord asset, IRegistryStore registry, CancellationToken cancellationToken) =>
        TypedResults.Ok(await registry.SaveAssetAsync(id, asset, cancellationToken).ConfigureAwait(false));
}
