using EquipmentIoT.Cloud.Api.Auth;
using EquipmentIoT.Cloud.Api.Contracts;
using EquipmentIoT.Cloud.Storage;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace EquipmentIoT.Cloud.Api.Endpoints;

/// <summary>Quarantined messages with their reasons; payloads (base64) only on request, for admins, engineers and auditors.</summary>
internal static class QuarantineEndpoints
{
    public const int MaxItems = 1_000;

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/quarantine", ListAsync).WithTags("Integrity").WithName("ListQuarantine")
            .WithSummary("Quarantined messages newest first, with the reason; payload=true adds the payload in base64 (admin, engineer, auditor)")
            .ProducesProblem(StatusCodes.Status403Forbidden);
    }

    private static async Task<Results<Ok<IReadOnlyList<QuarantineItem>>, ValidationProblem, ProblemHttpResult>> ListAsync(string? agent, string? reason,
        string? from, string? to, string? limit, string? payload, HttpContext http, IAuthorizationService authorization, ITelemetryLedger ledger,
        CancellationToken cancellationToken)
    {
        var p = new ApiParameters();
        var query = new QuarantineQuery(agent, p.Enum<QuarantineReason>("reason", reason), p.Instant("from", from), p.Instant("to", to),
            p.Int("limit", limit, 100, 1, MaxItems));
        var withPayload = p.Flag("payload", payload);
        if (p.Failed) return p.Problem();
        if (withPayload && !(await authorization.AuthorizeAsync(http.User, ApiPolicies.ReadPayloads).ConfigureAwait(false)).Succeeded)
            return ApiProblems.Forbidden("quarantined payloads are shown to admins, engineers and auditors only");
        var records = await ledger.QuarantinedAsync(query, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok<IReadOnlyList<QuarantineItem>>([.. records.Select(r => QuarantineItem.Of(r, withPayload))]);
    }
}
