using NodaTime;

namespace EquipmentIoT.Cloud.Storage;

/// <summary>Append-only log of who read or changed what, and when. Never holds secrets or payloads.</summary>
public interface IAuditLog
{
    Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken);

    /// <summary>Entries, newest first.</summary>
    Task<IReadOnlyList<AuditRecord>> QueryAsync(AuditQuery query, CancellationToken cancellationToken);
}

/// <param name="Actor">Token name or user; "cli" for the command line; "system" for the service itself.</param>
/// <param name="Action">"GET /api/v1/devices", "agents.add", "keys.revoke", …</param>
/// <param name="Outcome">HTTP status code or "ok" / "denied" / "failed".</param>
public sealed record AuditEntry(Instant At, string Actor, string? Role, string Action, string? Target, string Outcome, string? Remote);

public sealed record AuditRecord(long Id, Instant At, string Actor, string? Role, string Action, string? Target, string Outcome, string? Remote);

public sealed record AuditQuery(string? Actor = null, string? ActionPrefix = null, Instant? From = null, Instant? To = null, int Limit = 100);
