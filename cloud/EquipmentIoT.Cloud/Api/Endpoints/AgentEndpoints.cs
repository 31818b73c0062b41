using EquipmentIoT.Cloud.Api.Auth;
using EquipmentIoT.Cloud.Api.Contracts;
using EquipmentIoT.Cloud.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using NodaTime;

namespace EquipmentIoT.Cloud.Api.Endpoints;

/// <summary>Agents and their keys: list, register, rotate, revoke.</summary>
internal static class AgentEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var agents = api.MapGroup("/agents").WithTags("Agents");
        agents.MapGet("", ListAsync).WithName("ListAgents").WithSummary("Agents with their last-seen time and keys");
        agents.MapGet("/{id}", GetAsync).WithName("GetAgent").WithSummary("One agent with its keys").ProducesProblem(StatusCodes.Status404NotFound);
        agents.MapPost("", RegisterAsync).WithName("RegisterAgent").WithSummary("Registers an agent with its P-256 public key (PEM)")
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status400BadRequest)
            .RequireAuthorization(ApiPolicies.Admin);
        agents.MapPost("/{id}/keys", AddKeyAsync).WithName("AddAgentKey").WithSummary("Adds a key to an agent (rotation)")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status400BadRequest)
            .RequireAuthorization(ApiPolicies.Admin);
        agents.MapPost("/{id}/keys/{kid}/revoke", RevokeKeyAsync).WithName("RevokeAgentKey")
            .WithSummary("Revokes a key: batches signed with it are quarantined from now on")
            .ProducesProblem(StatusCodes.Status404NotFound).RequireAuthorization(ApiPolicies.Admin);
    }

    private static async Task<Ok<IReadOnlyList<AgentRecord>>> ListAsync(IRegistryStore registry, CancellationToken cancellationToken) =>
        TypedResults.Ok(await registry.ListAgentsAsync(cancellationToken).ConfigureAwait(false));

    private static async Task<Results<Ok<AgentRecord>, ProblemHttpResult>> GetAsync(string id, IRegistryStore registry,
        CancellationToken cancellationToken) =>
        await registry.GetAgentAsync(id, cancellationToken).ConfigureAwait(false) is { } agent
            ? TypedResults.Ok(agent)
            : ApiProblems.NotFound($"no agent '{id}' is registered");

    private static async Task<Results<Created<AgentRecord>, ProblemHttpResult>> RegisterAsync(RegisterAgentRequest request,
        IRegistryStore registry, IClock clock, CancellationToken cancellationToken)
    {
        if (request.Id is not null && await registry.GetAgentAsync(request.Id, cancellationToken).ConfigureAwait(false) is not null)
            return ApiProblems.Conflict($"agent '{request.Id}' is already registered");
        var agent = await registry.AddAgentAsync(new NewAgent(request.Id!, request.PublicKeyPem, request.Site, request.Description,
            clock.GetCurrentInstant()), cancellationToken).ConfigureAwait(false);
        return TypedResults.Created($"/api/v1/agents/{agent.Id}", agent);
    }

    private static async Task<Results<Created<AgentKeyRecord>, ProblemHttpResult>> AddKeyAsync(string id, AddKeyRequest request,
        IRegistryStore registry, IClock clock, CancellationToken cancellationToken)
    {
        if (await registry.GetAgentAsync(id, cancellationToken).ConfigureAwait(false) is null)
            return ApiProblems.NotFound($"no agent '{id}' is registered");
        var key = await registry.AddKeyAsync(id, request.PublicKeyPem, clock.GetCurrentInstant(), cancellationToken).ConfigureAwait(false);
        return TypedResults.Created($"/api/v1/agents/{id}", key);
    }

    private static async Task<Results<Ok<RevokeKeyResponse>, ProblemHttpResult>> RevokeKeyAsync(string id, string kid,
        RevokeKeyRequest request, IRegistryStore registry, IClock clock, CancellationToken cancellationToken)
    {
        var existing = await registry.FindKeyAsync(kid, cancellationToken).ConfigureAwait(false);
        if (existing is null || existing.AgentId != id) return ApiProblems.NotFound($"agent '{id}' has no key '{kid}'");
        var key = await registry.RevokeKeyAsync(kid, request.Reason, clock.GetCurrentInstant(), cancellationToken).ConfigureAwait(false);
        var live = (await registry.ListKeysAsync(id, cancellationToken).ConfigureAwait(false)).Count(k => !k.IsRevoked);
        return TypedResults.Ok(new RevokeKeyResponse(key, live,
            live == 0 ? $"agent '{id}' has no live key left: everything it sends is quarantined until a new key is added" : null));
    }
}
