using System.Globalization;
using System.Security.Claims;
using System.Text;
using EquipmentIoT.Cloud.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using NodaTime;

namespace EquipmentIoT.Cloud.Web;

/// <summary>
/// Writes every change made through the web UI (every POST handler) to the audit log: actor = the signed-in user, their roles,
/// "ui POST /Page handler", the route values as target, outcome ok / refused (a rule said no) / denied (the role may not).
/// Page views are not audited one by one; the API's reads are.
/// </summary>
public sealed class UiAuditFilter(IAuditLog audit, IClock clock) : IAsyncPageFilter
{
    /// <inheritdoc/>
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    /// <inheritdoc/>
    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var executed = await next().ConfigureAwait(false);
        var request = context.HttpContext.Request;
        if (!HttpMethods.IsPost(request.Method) || context.HttpContext.User.Identity?.IsAuthenticated != true) return;

        var outcome = executed.Exception is not null && !executed.ExceptionHandled ? "failed"
            : executed.Result is ForbidResult ? "denied"
            : context.HttpContext.Items.TryGetValue(RefusedKey, out var refused) && refused is true ? "refused"
            : "ok";
        var user = context.HttpContext.User;
        var target = new StringBuilder();
        foreach (var (key, value) in context.RouteData.Values)
        {
            if (value is null || key == "page") continue;
            if (target.Length > 0) target.Append(' ');
            target.Append(key).Append('=').Append(Convert.ToString(value, CultureInfo.InvariantCulture));
        }

        var handler = context.HandlerMethod?.Name;
        var entry = new AuditEntry(clock.GetCurrentInstant(), user.Identity!.Name ?? "?", string.Join(',', user.FindAll(ClaimTypes.Role).Select(c => c.Value)),
            $"ui POST {context.ActionDescriptor.ViewEnginePath}{(handler is null ? "" : " " + handler)}", target.Length == 0 ? null : target.ToString(), outcome,
            context.HttpContext.Connection.RemoteIpAddress?.ToString());
        await audit.AppendAsync(entry, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>The HttpContext item a handler sets (to true) when a rule refused what the user asked.</summary>
    public const string RefusedKey = "eqiot.ui.refused";
}
