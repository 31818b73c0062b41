using NodaTime;

namespace EquipmentIoT.Cloud.Storage;

/// <summary>Roles, from least to most privileged in what they may change (auditors read everything, change nothing).</summary>
public enum Role
{
    Auditor,
    Operator,
    Engineer,
    Manager,
    Admin,
}

/// <summary>API tokens: only a SHA-256 hash of each is stored; the token text is shown once, when created.</summary>
public interface IApiTokenStore
{
    /// <summary>Creates a token; the returned text is the only copy of the secret.</summary>
    Task<CreatedToken> CreateAsync(string name, Role role, Instant at, Instant? expires, CancellationToken cancellationToken);

    /// <summary>The token's record when the text matches a live (not revoked, not expired at <paramref name="now"/>) token, else null.</summary>
    Task<ApiTokenRecord?> ValidateAsync(string token, Instant now, CancellationToken cancellationToken);

    Task<IReadOnlyList<ApiTokenRecord>> ListAsync(CancellationToken cancellationToken);

    Task RevokeAsync(long id, Instant at, CancellationToken cancellationToken);
}

public sealed record ApiTokenRecord(long Id, string Name, Role Role, Instant Created, Instant? Expires, Instant? Revoked);

public sealed record CreatedToken(ApiTokenRecord Record, string Token);
