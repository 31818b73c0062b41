using EquipmentIoT.Cloud.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace EquipmentIoT.Cloud.Api.Endpoints;

/// <summary>Stored events, newest first.</summary>
internal static class EventEndpoints
{
    public const int MaxEvents = 10_000;

    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/events", ListAsync).WithTags("Events").WithName("ListEvents")
            .WithSummary("Events newest first, filtered by device, agent, type prefix (\"exam.\", \"integrity.\") and time range [from, to)");
    }

    private static async Task<Results<Ok<IReadOnlyList<StoredEvent>>, ValidationProblem>> ListAsync(string? device, string? agent, string? type,
        string? from, string? to, string? limit, ITelemetryLedger ledger, CancellationToken cancellationToken)
    {
        var p = new ApiParameters();
        var query = new EventQuery(device, agent, type, p.Instant("from", from), p.Instant("to", to), p.Int("limit", limit, 100, 1, MaxEvents));
        if (p.Failed) return p.Problem();
        return TypedResults.Ok(await ledger.EventsAsync(query, cancellationToken).ConfigureAwait(false));
    }
}
