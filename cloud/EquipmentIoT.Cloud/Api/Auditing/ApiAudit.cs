using System.Globalization;
using System.Security.Claims;
using System.Text;
using EquipmentIoT.Cloud.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using NodaTime;

namespace EquipmentIoT.Cloud.Api.Auditing;

/// <summary>
/// Writes one audit entry per request to an audited endpoint: actor = token name ("anonymous" without a valid
/// token), its role, "METHOD route template", target = the route values and the query string, outcome = the
/// status code, remote address. Never the token, the body or the response.
/// </summary>
public sealed class ApiAudit(IAuditLog log, IClock clock)
{
    /// <summary>The actor of requests without a valid token.</summary>
    public const string Anonymous = "anonymous";

    private const int MaxQueryLength = 256;

    /// <summary>Appends the entry for this request when its endpoint is audited. Not cancellable: a client that hangs up is still audited.</summary>
    public async Task RecordAsync(HttpContext context, int status, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var endpoint = context.GetEndpoint();
        if (endpoint?.Metadata.GetMetadata<AuditedEndpoint>() is null) return;
        // Group prefixes concatenate to "/api/v1/agents/" for a group's root: one spelling per route in the log.
        var template = ((endpoint as RouteEndpoint)?.RoutePattern.RawText ?? context.Request.Path.Value ?? "").TrimEnd('/');
        var user = context.User;
        var authenticated = user.Identity?.IsAuthenticated == true;
        var entry = new AuditEntry(
            clock.GetCurrentInstant(),
            authenticated ? user.Identity!.Name ?? Anonymous : Anonymous,
            authenticated ? user.FindFirstValue(ClaimTypes.Role) : null,
            $"{context.Request.Method} {(template.StartsWith('/') ? template : "/" + template)}",
            Target(context),
            status.ToString(CultureInfo.InvariantCulture),
            context.Connection.RemoteIpAddress?.ToString());
        await log.AppendAsync(entry, cancellationToken).ConfigureAwait(false);
    }

    private static string? Target(HttpContext context)
    {
        var target = new StringBuilder();
        foreach (var (key, value) in context.Request.RouteValues)
        {
            if (value is null) continue;
            if (target.Length > 0) target.Append(' ');
            target.Append(key).Append('=').Append(Convert.ToString(value, CultureInfo.InvariantCulture));
        }
        var query = context.Request.QueryString.Value;
        if (!string.IsNullOrEmpty(query))
        {
            if (target.Length > 0) target.Append(' ');
            target.Append(query.Length > MaxQueryLength ? query[..MaxQueryLength] + "…" : query);
        }
        return target.Length == 0 ? null : target.ToString();
    }
}
