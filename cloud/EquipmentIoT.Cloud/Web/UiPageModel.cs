using EquipmentIoT.Cloud.Api.Auth;
using EquipmentIoT.Cloud.Storage;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace EquipmentIoT.Cloud.Web;

/// <summary>
/// The base of every signed-in page: the request's <see cref="UiContext"/> (sites loaded), and which of the API's policies
/// the user meets, so that a page hides what the role may not do (<see cref="Can"/>) and a handler refuses it
/// (<see cref="Denied"/>) — hiding alone is not enforcement.
/// </summary>
public abstract class UiPageModel : PageModel
{
    private readonly HashSet<string> _allowed = new(StringComparer.Ordinal);

    /// <summary>The request's language and time zones.</summary>
    public UiContext Ui => HttpContext.RequestServices.GetRequiredService<UiContext>();

    /// <summary>A message for the page after an action (done, or why it was refused).</summary>
    [TempData]
    public string? Flash { get; set; }

    /// <summary>True when the flash message reports a refusal.</summary>
    [TempData]
    public bool FlashIsError { get; set; }

    /// <summary>True when the user's roles meet the API policy <paramref name="apiPolicy"/> (<see cref="ApiPolicies"/>).</summary>
    public bool Can(string apiPolicy) => _allowed.Contains(apiPolicy);

    /// <summary>The user's display name.</summary>
    public string DisplayName => User.FindFirst(UiAuth.DisplayNameClaim)?.Value ?? User.Identity?.Name ?? "";

    /// <summary>The answer to an action the user's role does not allow (403, written to the audit log by <see cref="UiAuditFilter"/>).</summary>
    protected IActionResult Denied() => Forbid(UiAuth.Scheme);

    /// <summary>Redirects back to this page with a message.</summary>
    protected IActionResult Back(string message, bool error, object? routeValues = null)
    {
        Flash = message;
        FlashIsError = error;
        if (error) HttpContext.Items[UiAuditFilter.RefusedKey] = true;
        return RedirectToPage(routeValues);
    }

    /// <summary>The signed-in user's name (the actor of what they do).</summary>
    protected string Actor => User.Identity?.Name ?? throw new InvalidOperationException("a signed-in page has a user name");

    /// <inheritdoc/>
    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var authorization = HttpContext.RequestServices.GetRequiredService<IAuthorizationService>();
        foreach (var policy in ApiPolicies.Roles.Keys)
        {
            if ((await authorization.AuthorizeAsync(User, UiAuth.Policy(policy)).ConfigureAwait(false)).Succeeded) _allowed.Add(policy);
        }

        await Ui.LoadSitesAsync(HttpContext.RequestServices.GetRequiredService<IRegistryStore>(), HttpContext.RequestAborted).ConfigureAwait(false);
        await next().ConfigureAwait(false);
    }
}
