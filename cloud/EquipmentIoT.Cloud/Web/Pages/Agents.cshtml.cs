using EquipmentIoT.Cloud.Api.Auth;
using EquipmentIoT.Cloud.Storage;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace EquipmentIoT.Cloud.Web.Pages;

/// <summary>Agents and their signing keys; admins register agents, add keys (rotation) and revoke keys.</summary>
public sealed class AgentsModel(IRegistryStore registry, IClock clock) : UiPageModel
{
    public IReadOnlyList<AgentRecord> Agents { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken) => Agents = await registry.ListAgentsAsync(cancellationToken);

    public Task<IActionResult> OnPostRegisterAsync(string? agentId, string? site, string? description, string? publicKeyPem, CancellationToken cancellationToken) =>
        RunAsync(() => registry.AddAgentAsync(new NewAgent(agentId?.Trim() ?? "", publicKeyPem ?? "", Blank(site), Blank(description), clock.GetCurrentInstant()),
            cancellationToken));

    public Task<IActionResult> OnPostKeyAsync(string agentId, string? publicKeyPem, CancellationToken cancellationToken) =>
        RunAsync(() => registry.AddKeyAsync(agentId, publicKeyPem ?? "", clock.GetCurrentInstant(), cancellationToken));

    public Task<IActionResult> OnPostRevokeAsync(string agentId, string kid, string? reason, CancellationToken cancellationToken) =>
        RunAsync(async () =>
        {
            var key = await registry.FindKeyAsync(kid, cancellationToken);
            if (key is null || key.AgentId != agentId) throw new RegistryException($"agent '{agentId}' has no key '{kid}'");
            return await registry.RevokeKeyAsync(kid, string.IsNullOrWhiteSpace(reason) ? "revoked in the web UI" : reason.Trim(), clock.GetCurrentInstant(),
                cancellationToken);
        });

    private async Task<IActionResult> RunAsync<T>(Func<Task<T>> action)
    {
        if (!Can(ApiPolicies.Admin)) return Denied();
        try
        {
            await action();
            return Back(Ui.T("common.done"), false);
        }
        catch (RegistryException e)
        {
            return Back(Ui.T("common.refused") + e.Message, true);
        }
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
