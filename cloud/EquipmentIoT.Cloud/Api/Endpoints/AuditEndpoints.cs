using EquipmentIoT.Cloud.Api.Auth;
using EquipmentIoT.Cloud.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace EquipmentIoT.Cloud.Api.Endpoints;

/// <summary>The audit log (auditors and admins).</summary>
internal static class AuditEndpoints
{
    public const int MaxEntries = 10_000;

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/audit", ListAsync).WithTags("Audit").WithName("ListAudit")
            .WithSummary("Audit entries newest first, filtered by actor, action prefix (\"PUT \", \"GET /api/v1/devices\") and time range")
            .RequireAuthorization(ApiPolicies.ReadAudit);
    }

    private static async Task<Results<Ok<IReadOnlyList<AuditRecord>>, ValidationProblem>> ListAsync(string? actor, string? action, string? from,
        string? to, string? limit, IAuditLog log, CancellationToken cancellationToken)
    {
        var p = new ApiParameters();
        var query = new AuditQuery(actor, action, p.Instant("from", from), p.Instant("to", to), p.Int("limit", limit, 100, 1, MaxEntries));
        if (p.Failed) return p.Problem();
        return TypedResults.Ok(await log.QueryAsync(query, cancellationToken).ConfigureAwait(false));
    }
}
