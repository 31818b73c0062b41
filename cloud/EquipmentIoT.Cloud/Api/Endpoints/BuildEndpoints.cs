using System.Security.Claims;
using EquipmentIoT.Cloud.Api.Auth;
using EquipmentIoT.Cloud.Api.Contracts;
using EquipmentIoT.Cloud.Builds;
using EquipmentIoT.Protocols.Gs1;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using NodaTime;

namespace EquipmentIoT.Cloud.Api.Endpoints;

/// <summary>
/// AM build records: list and trace (by batch, UDI, powder lot, case, machine and period), one record, operator
/// entries and parts (operators and up), release and seal (managers), the ledger and its verification, and the
/// export as JSON and as a printable HTML report. Every read and change is in the audit log (the API's filter).
/// </summary>
internal static class BuildEndpoints
{
    public const int MaxBuilds = 1000;

    public static void Map(RouteGroupBuilder api)
    {
        var builds = api.MapGroup("/builds").WithTags("Builds");
        builds.MapGet("", ListAsync).WithName("ListBuilds")
            .WithSummary("Builds newest first, filtered by device, period [from, to), status, powder lot, case reference, material, sealed");
        builds.MapGet("/trace", TraceAsync).WithName("TraceBuilds")
            .WithSummary("Traceability: exactly one of batch, udi (either GS1 form), powderLot, caseRef, or device with from/to");
        builds.MapGet("/ledger", LedgerAsync).WithName("BuildLedger").WithSummary("The build ledger's links in order");
        builds.MapGet("/verify", VerifyAsync).WithName("VerifyBuildLedger")
            .WithSummary("Recomputes every link of the build ledger from the stored records and reports the first that does not hold");
        builds.MapGet("/{id:long}", GetAsync).WithName("GetBuild").WithSummary("One build with layers, timeline, entries, parts and ledger links")
            .ProducesProblem(StatusCodes.Status404NotFound);
        builds.MapGet("/{id:long}/export", ExportAsync).WithName("ExportBuild")
            .WithSummary("The record as JSON for an auditor, with the canonical text its seal hashed and the ledger's verification")
            .ProducesProblem(StatusCodes.Status404NotFound);
        builds.MapGet("/{id:long}/report", ReportAsync).WithName("BuildReport")
            .WithSummary("The record as a printable HTML page (lang=zh default, or en)").Produces<string>(contentType: "text/html")
            .ProducesProblem(StatusCodes.Status404NotFound);
        builds.MapPost("/{id:long}/entries", AddEntryAsync).WithName("AddBuildEntry")
            .WithSummary("Adds an operator entry signed by the caller; on a sealed record only a correction (corrects = entry id)")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status400BadRequest)
            .RequireAuthorization(ApiPolicies.LogBuilds);
        builds.MapPost("/{id:long}/parts", AddPartAsync).WithName("AddBuildPart")
            .WithSummary("Adds a part: it gets the next part number and its GS1 UDI")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status400BadRequest)
            .RequireAuthorization(ApiPolicies.LogBuilds);
        builds.MapPost("/{id:long}/release", ReleaseAsync).WithName("ReleaseBuild")
            .WithSummary("Records the release decision (released | rejected) and seals the record into the build ledger")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status400BadRequest)
            .RequireAuthorization(ApiPolicies.ReleaseBuilds);
    }

    private static async Task<Results<Ok<IReadOnlyList<BuildRecord>>, ValidationProblem>> ListAsync(string? device, string? from, string? to,
        string? status, string? powderLot, string? caseRef, string? material, string? @sealed, string? limit, [FromServices] IBuildStore store,
        CancellationToken cancellationToken)
    {
        var p = new ApiParameters();
        var query = new BuildQuery(device, p.Instant("from", from), p.Instant("to", to), p.Enum<BuildStatus>("status", status), powderLot, caseRef,
            material, string.IsNullOrEmpty(@sealed) ? null : p.Flag("sealed", @sealed), p.Int("limit", limit, 100, 1, MaxBuilds));
        if (p.Failed) return p.Problem();
        return TypedResults.Ok(await store.ListAsync(query, cancellationToken).ConfigureAwait(false));
    }

    private static async Task<Results<Ok<TraceResponse>, ValidationProblem, ProblemHttpResult>> TraceAsync(string? batch, string? udi, string? powderLot,
        string? caseRef, string? device, string? from, string? to, [FromServices] IBuildStore store, IClock clock, CancellationToken cancellationToken)
    {
        var given = new[] { batch, udi, powderLot, caseRef, device }.Count(v => !string.IsNullOrEmpty(v));
        if (given != 1) return ApiProblems.BadRequest("give exactly one of batch, udi, powderLot, caseRef, device (with from/to)");
        if (!string.IsNullOrEmpty(batch))
        {
            var id = await store.FindByBatchAsync(batch, cancellationToken).ConfigureAwait(false);
            return await AnswerAsync($"batch {batch}", id is { } b ? [b] : [], store, new PartQuery(BuildId: id ?? -1), cancellationToken).ConfigureAwait(false);
        }

        if (!string.IsNullOrEmpty(udi))
        {
            var parsed = Udi.Parse(udi, clock.GetCurrentInstant().InUtc().Date.ToDateOnly());
            if (!parsed.Success) return ApiProblems.BadRequest($"not a GS1 UDI: {parsed.Error}");
            if (parsed.Value.Lot is null || parsed.Value.Serial is null) return ApiProblems.BadRequest("a part's UDI carries its lot (10) and serial (21)");
            var parts = await store.PartsAsync(new PartQuery(Lot: parsed.Value.Lot, Serial: parsed.Value.Serial), cancellationToken).ConfigureAwait(false);
            var matching = parts.Where(part => part.Gtin == parsed.Value.DeviceIdentifier.Value).ToList();
            return await AnswerAsync($"udi {parsed.Value}", matching.Select(part => part.BuildId).Distinct(), store, null, cancellationToken, matching)
                .ConfigureAwait(false);
        }

        if (!string.IsNullOrEmpty(caseRef))
        {
            var builds = await store.ListAsync(new BuildQuery(CaseRef: caseRef, Limit: MaxBuilds), cancellationToken).ConfigureAwait(false);
            var parts = await store.PartsAsync(new PartQuery(CaseRef: caseRef), cancellationToken).ConfigureAwait(false);
            return TypedResults.Ok(new TraceResponse($"case {caseRef}", builds, parts));
        }

        var p = new ApiParameters();
        var query = !string.IsNullOrEmpty(powderLot)
            ? new BuildQuery(PowderLot: powderLot, Limit: MaxBuilds)
            : new BuildQuery(Device: device, From: p.Instant("from", from), To: p.Instant("to", to), Limit: MaxBuilds);
        if (p.Failed) return p.Problem();
        var found = await store.ListAsync(query, cancellationToken).ConfigureAwait(false);
        var all = new List<BuildPart>();
        foreach (var b in found) all.AddRange(await store.PartsAsync(new PartQuery(BuildId: b.Id), cancellationToken).ConfigureAwait(false));
        return TypedResults.Ok(new TraceResponse(powderLot is null ? $"device {device}" : $"powder lot {powderLot}", found, all));
    }

    private static async Task<Results<Ok<TraceResponse>, ValidationProblem, ProblemHttpResult>> AnswerAsync(string query, IEnumerable<long> buildIds,
        IBuildStore store, PartQuery? parts, CancellationToken cancellationToken, IReadOnlyList<BuildPart>? knownParts = null)
    {
        var builds = new List<BuildRecord>();
        foreach (var id in buildIds)
        {
            if (await store.GetAsync(id, cancellationToken).ConfigureAwait(false) is { } detail) builds.Add(detail.Record);
        }

        var partList = knownParts ?? (parts is null ? [] : await store.PartsAsync(parts, cancellationToken).ConfigureAwait(false));
        return TypedResults.Ok(new TraceResponse(query, builds, partList));
    }

    private static async Task<Results<Ok<BuildDetail>, ProblemHttpResult>> GetAsync(long id, [FromServices] IBuildStore store, CancellationToken cancellationToken) =>
        await store.GetAsync(id, cancellationToken).ConfigureAwait(false) is { } detail ? TypedResults.Ok(detail) : ApiProblems.NotFound($"no build {id}");

    private static async Task<Ok<IReadOnlyList<BuildLedgerLink>>> LedgerAsync([FromServices] IBuildStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(await store.LedgerAsync(cancellationToken).ConfigureAwait(false));

    private static async Task<Ok<BuildVerification>> VerifyAsync([FromServices] BuildVerifier verifier, CancellationToken cancellationToken) =>
        TypedResults.Ok(await verifier.VerifyAsync(cancellationToken).ConfigureAwait(false));

    private static async Task<Results<Ok<BuildExport>, ProblemHttpResult>> ExportAsync(long id, ClaimsPrincipal user, [FromServices] IBuildStore store,
        [FromServices] BuildVerifier verifier, [FromServices] BuildSummaries summaries, IClock clock, CancellationToken cancellationToken) =>
        await ExportOfAsync(id, user, store, verifier, summaries, clock, cancellationToken).ConfigureAwait(false) is { } export
            ? TypedResults.Ok(export)
            : ApiProblems.NotFound($"no build {id}");

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> ReportAsync(long id, string? lang, ClaimsPrincipal user, [FromServices] IBuildStore store,
        [FromServices] BuildVerifier verifier, [FromServices] BuildSummaries summaries, [FromServices] IOptions<BuildOptions> options, IClock clock, CancellationToken cancellationToken)
    {
        var export = await ExportOfAsync(id, user, store, verifier, summaries, clock, cancellationToken).ConfigureAwait(false);
        if (export is null) return ApiProblems.NotFound($"no build {id}");
        return TypedResults.Content(BuildReport.Render(export, lang, DateTimeZoneProviders.Tzdb[options.Value.TimeZone]), "text/html; charset=utf-8");
    }

    private static async Task<BuildExport?> ExportOfAsync(long id, ClaimsPrincipal user, IBuildStore store, BuildVerifier verifier, BuildSummaries summaries,
        IClock clock, CancellationToken cancellationToken)
    {
        var detail = await store.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (detail is null) return null;
        var verification = await verifier.VerifyAsync(cancellationToken).ConfigureAwait(false);
        return BuildExport.Create(detail, summaries.MaterialOf(detail), verification, clock.GetCurrentInstant(), user.Identity?.Name ?? "?");
    }

    private static async Task<Created<BuildEntry>> AddEntryAsync(long id, AddBuildEntryRequest request, ClaimsPrincipal user, [FromServices] BuildService builds,
        CancellationToken cancellationToken)
    {
        var entry = await builds.AddEntryAsync(id, request.Kind, request.Fields ?? [], request.Corrects, Actor(user), cancellationToken).ConfigureAwait(false);
        return TypedResults.Created($"/api/v1/builds/{id}", entry);
    }

    private static async Task<Created<BuildPart>> AddPartAsync(long id, AddBuildPartRequest request, ClaimsPrincipal user, [FromServices] BuildService builds,
        CancellationToken cancellationToken)
    {
        var part = await builds.AddPartAsync(id, request.Fields ?? [], Actor(user), cancellationToken).ConfigureAwait(false);
        return TypedResults.Created($"/api/v1/builds/{id}", part);
    }

    private static async Task<Ok<ReleaseBuildResponse>> ReleaseAsync(long id, ReleaseBuildRequest request, ClaimsPrincipal user, [FromServices] BuildService builds,
        CancellationToken cancellationToken)
    {
        var (decision, seal) = await builds.ReleaseAsync(id, request.Fields ?? [], Actor(user), cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new ReleaseBuildResponse(decision, seal));
    }

    private static BuildActor Actor(ClaimsPrincipal user) =>
        new(user.Identity?.Name ?? throw new InvalidOperationException("an authorised request has a name"), user.FindFirstValue(ClaimTypes.Role) ?? "?");
}
