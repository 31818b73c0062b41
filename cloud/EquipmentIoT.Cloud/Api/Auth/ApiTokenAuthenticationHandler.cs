using System.Security.Claims;
using System.Text.Encodings.Web;
using EquipmentIoT.Cloud.Api.Auditing;
using EquipmentIoT.Cloud.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EquipmentIoT.Cloud.Api.Auth;

/// <summary>
/// <c>Authorization: Bearer eqt_…</c> checked against <see cref="IApiTokenStore"/> (through <see cref="ApiTokenCache"/>).
/// Challenges (401) and denials (403) answer with problem details and are written to the audit log here,
/// because they happen before any endpoint filter runs.
/// </summary>
public sealed class ApiTokenAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    ApiTokenCache cache, ApiAudit audit, IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The scheme name.</summary>
    public const string SchemeName = "Bearer";

    /// <summary>The claim holding the token's id.</summary>
    public const string TokenIdClaim = "eqiot:token_id";

    private const string BearerPrefix = "Bearer ";

    /// <inheritdoc/>
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header)) return AuthenticateResult.NoResult();
        if (!header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.Fail("the Authorization header is not a bearer token");
        var record = await cache.ValidateAsync(header[BearerPrefix.Length..].Trim(), Context.RequestAborted).ConfigureAwait(false);
        if (record is null) return AuthenticateResult.Fail("the token is unknown, expired or revoked");

        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.Name, record.Name),
            new Claim(ClaimTypes.Role, ApiPolicies.ClaimOf(record.Role)),
            new Claim(TokenIdClaim, record.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    /// <inheritdoc/>
    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var presented = !string.IsNullOrEmpty(Request.Headers.Authorization);
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        // RFC 6750 §3: say which scheme, and that the token was refused when one was sent.
        Response.Headers.WWWAuthenticate = presented ? "Bearer realm=\"eqiot\", error=\"invalid_token\"" : "Bearer realm=\"eqiot\"";
        await audit.RecordAsync(Context, StatusCodes.Status401Unauthorized, Context.RequestAborted).ConfigureAwait(false);
        await WriteProblemAsync(StatusCodes.Status401Unauthorized, "Unauthorized",
            presented ? "The bearer token is unknown, expired or revoked." : "Send an API token: Authorization: Bearer eqt_…").ConfigureAwait(false);
    }

    /// <inheritdoc/>
    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        await audit.RecordAsync(Context, StatusCodes.Status403Forbidden, Context.RequestAborted).ConfigureAwait(false);
        await WriteProblemAsync(StatusCodes.Status403Forbidden, "Forbidden", "The token's role does not allow this.").ConfigureAwait(false);
    }

    private async Task WriteProblemAsync(int status, string title, string detail) =>
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        }).ConfigureAwait(false);
}
