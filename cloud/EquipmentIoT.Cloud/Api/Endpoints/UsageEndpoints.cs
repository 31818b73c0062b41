using EquipmentIoT.Cloud.Api.Contracts;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Usage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace EquipmentIoT.Cloud.Api.Endpoints;

/// <summary>Usage statistics by local day of each device's site.</summary>
internal static class UsageEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/usage", FleetAsync).WithTags("Usage").WithName("GetUsage")
            .WithSummary("Exams, working hours and utilisation per device and per device class over local days from..to (yyyy-MM-dd) of a site (or all)")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        api.MapGet("/devices/{id}/usage", DeviceAsync).WithTags("Usage").WithName("GetDeviceUsage")
            .WithSummary("Exams, working hours and utilisation of one device over local days from..to (yyyy-MM-dd)")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<Results<Ok<UsageView>, ValidationProblem>> FleetAsync(string? site, string? from, string? to,
        UsageStatistics usage, CancellationToken cancellationToken)
    {
        var p = new ApiParameters();
        var request = new UsageRequest(p.Date("from", from), p.Date("to", to), Site: site);
        if (p.Failed) return p.Problem();
        return TypedResults.Ok(UsageView.Of(await usage.ComputeAsync(request, cancellationToken).ConfigureAwait(false)));
    }

    private static async Task<Results<Ok<DeviceUsageView>, ValidationProblem, ProblemHttpResult>> DeviceAsync(string id, string? from, string? to,
        UsageStatistics usage, IRegistryStore registry, CancellationToken cancellationToken)
    {
        var p = new ApiParameters();
        var request = new UsageRequest(p.Date("from", from), p.Date("to", to), Device: id);
        if (p.Failed) return p.Problem();
        var report = await usage.ComputeAsync(request, cancellationToken).ConfigureAwait(false);
        return report.Devices.Count == 0 ? ApiProblems.NotFound($"no device '{id}' is known") : TypedResults.Ok(DeviceUsageView.Of(report.Devices[0]));
    }
}
