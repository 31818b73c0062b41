namespace EquipmentIoT.Cloud.Web.Pages;

/// <summary>Where a refused action lands: 403 with a message.</summary>
public sealed class DeniedModel : UiPageModel
{
    /// <summary>Shows the message with status 403.</summary>
    public void OnGet() => Response.StatusCode = StatusCodes.Status403Forbidden;
}
