using System.Security.Claims;
using EquipmentIoT.Cloud.Api.Auth;
using EquipmentIoT.Cloud.Storage;
using Microsoft.Extensions.Options;
using NodaTime;

namespace EquipmentIoT.Cloud.Web.Users;

/// <summary>How a sign-in attempt ended.</summary>
public enum SignInStatus
{
    /// <summary>Name and password matched a user who may sign in.</summary>
    Success,

    /// <summary>Unknown name or wrong password (the page does not say which).</summary>
    Failed,

    /// <summary>The user is locked (after repeated failures, or by an administrator).</summary>
    LockedOut,
}

/// <summary>The outcome of <see cref="UserSignIn.CheckAsync"/>; <paramref name="Principal"/> is set on success.</summary>
public sealed record SignInOutcome(SignInStatus Status, ClaimsPrincipal? Principal, Instant? LockedUntil);

/// <summary>
/// Checks a name and password against <see cref="IUserStore"/>, counts failures and locks after
/// <see cref="WebUiOptions.LockoutFailures"/> in a row, and writes every attempt, lockout and sign-out to the audit log
/// (actor = the name given, never the password).
/// </summary>
public sealed class UserSignIn(IUserStore users, IAuditLog audit, IClock clock, IOptions<WebUiOptions> options)
{
    private const int MaxActorLength = 64;

    /// <summary>Checks the credentials and records the attempt.</summary>
    public async Task<SignInOutcome> CheckAsync(string? username, string? password, string? remote, CancellationToken cancellationToken)
    {
        var name = (username ?? "").Trim();
        var now = clock.GetCurrentInstant();
        var user = name.Length == 0 ? null : await users.FindAsync(name, cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            UserPasswords.VerifyDecoy(password ?? "");
            await AuditAsync(Actor(name), null, "ui.signin", "failed", "unknown user", remote).ConfigureAwait(false);
            return new SignInOutcome(SignInStatus.Failed, null, null);
        }

        if (user.IsLockedAt(now))
        {
            await AuditAsync(user.Username, null, "ui.signin", "locked", user.Locked ? "locked by an administrator" : "locked after failures", remote)
                .ConfigureAwait(false);
            return new SignInOutcome(SignInStatus.LockedOut, null, user.Locked ? null : user.LockedUntil);
        }

        if (!UserPasswords.Verify(user.PasswordHash, password ?? "", out var rehash))
        {
            var o = options.Value;
            var saved = await users.RecordFailureAsync(user.Id, o.LockoutFailures, now + Duration.FromTimeSpan(o.LockoutDuration), cancellationToken)
                .ConfigureAwait(false);
            await AuditAsync(user.Username, null, "ui.signin", "failed", "wrong password", remote).ConfigureAwait(false);
            if (saved.IsLockedAt(now))
            {
                await AuditAsync(user.Username, null, "ui.lockout", "locked", $"{o.LockoutFailures} failures, until {saved.LockedUntil}", remote)
                    .ConfigureAwait(false);
                return new SignInOutcome(SignInStatus.LockedOut, null, saved.LockedUntil);
            }

            return new SignInOutcome(SignInStatus.Failed, null, null);
        }

        await users.RecordSuccessAsync(user.Id, now, rehash, cancellationToken).ConfigureAwait(false);
        await AuditAsync(user.Username, RolesOf(user), "ui.signin", "ok", null, remote).ConfigureAwait(false);
        return new SignInOutcome(SignInStatus.Success, PrincipalOf(user), null);
    }

    /// <summary>Records a sign-out.</summary>
    public Task SignedOutAsync(ClaimsPrincipal user, string? remote)
    {
        ArgumentNullException.ThrowIfNull(user);
        return AuditAsync(user.Identity?.Name ?? "?", string.Join(',', user.FindAll(ClaimTypes.Role).Select(c => c.Value)), "ui.signout", "ok", null, remote);
    }

    /// <summary>The claims of a signed-in user: name, display name, site and one role claim per role (as the API's tokens carry).</summary>
    public static ClaimsPrincipal PrincipalOf(UserRecord user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, user.Username),
            new(UiAuth.DisplayNameClaim, user.DisplayName),
        };
        if (user.Site is not null) claims.Add(new Claim(UiAuth.SiteClaim, user.Site));
        claims.AddRange(user.Roles.Select(r => new Claim(ClaimTypes.Role, ApiPolicies.ClaimOf(r))));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, UiAuth.Scheme));
    }

    private static string RolesOf(UserRecord user) => SqliteUserStore.RolesText(user.Roles);

    private static string Actor(string name) => name.Length == 0 ? "anonymous" : name.Length > MaxActorLength ? name[..MaxActorLength] : name;

    // Not the request's token: an attempt is audited even when the client hangs up.
    private Task AuditAsync(string actor, string? role, string action, string outcome, string? target, string? remote) =>
        audit.AppendAsync(new AuditEntry(clock.GetCurrentInstant(), actor, role, action, target, outcome, remote), CancellationToken.None);
}
