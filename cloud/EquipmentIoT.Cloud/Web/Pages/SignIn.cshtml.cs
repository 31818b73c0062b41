using EquipmentIoT.Cloud.Web.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;

namespace EquipmentIoT.Cloud.Web.Pages;

/// <summary>Sign-in with a user name and password: wrong credentials and lockouts are told apart from nothing else.</summary>
public sealed class SignInModel(UserSignIn signIn) : UiPageModel
{
    /// <summary>Where to go after signing in (a local path only).</summary>
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>The name as typed (kept after a failure).</summary>
    public string? Username { get; private set; }

    /// <summary>Why signing in failed.</summary>
    public string? Error { get; private set; }

    /// <summary>Shows the form.</summary>
    public void OnGet()
    {
    }

    /// <summary>Checks the credentials; on success sets the session cookie.</summary>
    public async Task<IActionResult> OnPostAsync(string? username, string? password)
    {
        Username = username;
        var outcome = await signIn.CheckAsync(username, password, HttpContext.Connection.RemoteIpAddress?.ToString(), HttpContext.RequestAborted);
        switch (outcome.Status)
        {
            case SignInStatus.Success:
                await HttpContext.SignInAsync(UiAuth.Scheme, outcome.Principal!, new AuthenticationProperties { IsPersistent = false });
                return LocalRedirect(ReturnUrl is { } url && Url.IsLocalUrl(url) ? url : "/");
            case SignInStatus.LockedOut:
                Error = Ui.T("signin.locked") + (outcome.LockedUntil is { } until ? $" {Ui.T("signin.lockeduntil")} {Ui.Time(until, null)}" : "");
                break;
            default:
                Error = Ui.T("signin.failed");
                break;
        }

        Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Page();
    }
}
