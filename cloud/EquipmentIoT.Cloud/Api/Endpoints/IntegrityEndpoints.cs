using EquipmentIoT.Cloud.Api.Contracts;
using EquipmentIoT.Cloud.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace EquipmentIoT.Cloud.Api.Endpoints;

/// <summary>Integrity per agent: received, stored, duplicates, quarantined, gaps open / filled / unavailable.</summary>
internal static class IntegrityEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var integrity = api.MapGroup("/integrity").WithTags("Integrity");
        integrity.MapGet("", ListAsync).WithName("ListIntegrity").WithSummary("Integrity figures of every agent");
        integrity.MapGet("/{agent}", GetAsync).WithName("GetIntegrity").WithSummary("Integrity figures of one agent and its open gaps")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<Ok<IReadOnlyList<IntegritySummary>>> ListAsync(ITelemetryLedger ledger, CancellationToken cancellationToken) =>
        TypedResults.Ok(await ledger.IntegrityAsync(null, cancellationToken).ConfigureAwait(false));

    private static async Task<Results<Ok<IntegrityDetail>, ProblemHttpResult>> GetAsync(string agent, ITelemetryLedger ledger,
        CancellationToken cancellationToken)
    {
        var summary = (await ledger.IntegrityAsync(agent, cancellationToken).ConfigureAwait(false)).FirstOrDefault(s => s.Agent == agent);
        if (summary is null) return ApiProblems.NotFound($"nothing was received from agent '{agent}'");
        var gaps = (await ledger.OpenGapsAsync(cancellationToken).ConfigureAwait(false)).Where(g => g.Agent == agent).ToList();
        return TypedResults.Ok(new IntegrityDetail(summary, gaps));
    }
}
