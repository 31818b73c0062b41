using EquipmentIoT.Cloud.Api.Auth;
using EquipmentIoT.Cloud.Api.Contracts;
using EquipmentIoT.Cloud.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace EquipmentIoT.Cloud.Api.Endpoints;

/// <summary>Sites and their time zones.</summary>
internal static class SiteEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var sites = api.MapGroup("/sites").WithTags("Sites");
        sites.MapGet("", ListAsync).WithName("ListSites").WithSummary("Sites with their IANA time zones");
        sites.MapPut("/{id}", SaveAsync).WithName("SaveSite").WithSummary("Creates or updates a site (name, IANA time zone)")
            .ProducesProblem(StatusCodes.Status400BadRequest).RequireAuthorization(ApiPolicies.ManageAssets);
    }

    private static async Task<Ok<IReadOnlyList<SiteRecord>>> ListAsync(IRegistryStore registry, CancellationToken cancellationToken) =>
        TypedResults.Ok(await registry.ListSitesAsync(cancellationToken).ConfigureAwait(false));

    private static async Task<Ok<SiteRecord>> SaveAsync(string id, SiteRequest request, IRegistryStore registry, CancellationToken cancellationToken) =>
        TypedResults.Ok(await registry.SaveSiteAsync(new SiteRecord(id, request.Name, request.TimeZone), cancellationToken).ConfigureAwait(false));
}
