using EquipmentIoT.Cloud.Storage;
using NodaTime;

namespace EquipmentIoT.Cloud.Web.Users;

/// <summary>
/// The people who sign in to the web UI: a name, roles (the API's), a site, a password hash (the framework's
/// <c>PasswordHasher</c>, never the password) and the lockout bookkeeping. Kept in records.db beside the API tokens.
/// </summary>
public interface IUserStore
{
    /// <summary>Creates a user. Fails with <see cref="RegistryException"/> when the name is taken or a field is invalid.</summary>
    Task<UserRecord> AddAsync(NewUser user, CancellationToken cancellationToken);

    /// <summary>The user with this name (case-insensitive), or null.</summary>
    Task<UserRecord?> FindAsync(string username, CancellationToken cancellationToken);

    Task<IReadOnlyList<UserRecord>> ListAsync(CancellationToken cancellationToken);

    /// <summary>Replaces the password hash (and clears failures and a lockout). Fails with <see cref="RegistryException"/> for an unknown user.</summary>
    Task SetPasswordHashAsync(string username, string hash, CancellationToken cancellationToken);

    /// <summary>Locks (an administrator's lock, until unlocked) or unlocks (also clears failures and a timed lockout).</summary>
    Task SetLockedAsync(string username, bool locked, CancellationToken cancellationToken);

    /// <summary>Records a failed sign-in; when it is the <paramref name="lockAfter"/>-th in a row the user is locked until <paramref name="lockUntil"/>. Returns the user as saved.</summary>
    Task<UserRecord> RecordFailureAsync(long id, int lockAfter, Instant lockUntil, CancellationToken cancellationToken);

    /// <summary>Records a successful sign-in: failures cleared, last sign-in set, the hash replaced when <paramref name="rehash"/> is given.</summary>
    Task RecordSuccessAsync(long id, Instant at, string? rehash, CancellationToken cancellationToken);
}

/// <summary>A user to create; <paramref name="PasswordHash"/> from <see cref="UserPasswords.Hash"/>.</summary>
public sealed record NewUser(string Username, string DisplayName, IReadOnlyList<Role> Roles, string? Site, string PasswordHash, Instant Created);

/// <summary>A stored user, with its password hash (never shown, never logged).</summary>
/// <param name="FailedCount">Failed sign-ins in a row since the last success or lockout.</param>
/// <param name="LockedUntil">A timed lockout after repeated failures.</param>
/// <param name="Locked">An administrator's lock (<c>eqiot cloud users lock</c>).</param>
public sealed record UserRecord(long Id, string Username, string DisplayName, IReadOnlyList<Role> Roles, string? Site, int FailedCount,
    Instant? LockedUntil, bool Locked, Instant? LastSignIn, Instant Created, string PasswordHash)
{
    /// <summary>True when the user may not sign in at <paramref name="now"/>.</summary>
    public bool IsLockedAt(Instant now) => Locked || (LockedUntil is { } until && until > now);

    /// <inheritdoc/>
    public override string ToString() => Username;
}
