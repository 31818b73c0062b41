using EquipmentIoT.Cloud.Api.Auth;
using EquipmentIoT.Cloud.Api.Contracts;
using EquipmentIoT.Cloud.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using NodaTime;

namespace EquipmentIoT.Cloud.Api.Endpoints;

/// <summary>API tokens: admins create (the token text is shown once) and revoke; auditors and admins list them.</summary>
internal static class TokenEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var tokens = api.MapGroup("/tokens").WithTags("Tokens");
        tokens.MapGet("", ListAsync).WithName("ListTokens").WithSummary("Tokens (names, roles, expiry, revocation; never the secret)")
            .RequireAuthorization(ApiPolicies.ReadAudit);
        tokens.MapPost("", CreateAsync).WithName("CreateToken").WithSummary("Creates a token; the response holds its text, shown this once")
            .ProducesProblem(StatusCodes.Status400BadRequest).RequireAuthorization(ApiPolicies.Admin);
        tokens.MapPost("/{id:long}/revoke", RevokeAsync).WithName("RevokeToken").WithSummary("Revokes a token")
            .ProducesProblem(StatusCodes.Status404NotFound).RequireAuthorization(ApiPolicies.Admin);
    }

    private static async Task<Ok<IReadOnlyList<ApiTokenRecord>>> ListAsync(IApiTokenStore store, CancellationToken cancellationToken) =>
        TypedResults.Ok(await store.ListAsync(cancellationToken).ConfigureAwait(false));

    private static async Task<Created<CreatedToken>> CreateAsync(CreateTokenRequest request, IApiTokenStore store, IClock clock,
        CancellationToken cancellationToken)
    {
        var created = await store.CreateAsync(request.Name, request.Role, clock.GetCurrentInstant(), request.Expires, cancellationToken).ConfigureAwait(false);
        return TypedResults.Created($"/api/v1/tokens/{created.Record.Id}", created);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(long id, IApiTokenStore store, ApiTokenCache cache, IClock clock,
        CancellationToken cancellationToken)
    {
        if (!(await store.ListAsync(cancellationToken).ConfigureAwait(false)).Any(t => t.Id == id)) return ApiProblems.NotFound($"no token {id}");
        await store.RevokeAsync(id, clock.GetCurrentInstant(), cancellationToken).ConfigureAwait(false);
        cache.Forget(id);
        return TypedResults.NoContent();
    }
}
