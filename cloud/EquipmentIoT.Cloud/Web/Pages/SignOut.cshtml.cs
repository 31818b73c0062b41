using EquipmentIoT.Cloud.Web.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;

namespace EquipmentIoT.Cloud.Web.Pages;

/// <summary>Ends the session (POST only, with the antiforgery token: a link elsewhere cannot sign anyone out).</summary>
public sealed class SignOutModel(UserSignIn signIn) : UiPageModel
{
    /// <summary>Signs out and goes to the sign-in page.</summary>
    public async Task<IActionResult> OnPostAsync()
    {
        await signIn.SignedOutAsync(User, HttpContext.Connection.RemoteIpAddress?.ToString());
        await HttpContext.SignOutAsync(UiAuth.Scheme);
        return Redirect("/SignIn");
    }
}
