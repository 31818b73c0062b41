using EquipmentIoT.Cloud.Api.Auth;

namespace EquipmentIoT.Cloud.Web;

/// <summary>
/// The web UI's cookie scheme and its policies: the API's policies (<see cref="ApiPolicies"/>, same roles) bound to the
/// cookie scheme, so that a page never accepts a bearer token and the API never accepts the cookie.
/// </summary>
public static class UiAuth
{
    /// <summary>The cookie authentication scheme.</summary>
    public const string Scheme = "eqiot-ui";

    /// <summary>The session cookie's name.</summary>
    public const string CookieName = "eqiot-session";

    /// <summary>The claim with the user's display name.</summary>
    public const string DisplayNameClaim = "eqiot:display";

    /// <summary>The claim with the user's site.</summary>
    public const string SiteClaim = "eqiot:site";

    /// <summary>The UI policy for an API policy name ("ui:handle-alarms").</summary>
    public static string Policy(string apiPolicy) => "ui:" + apiPolicy;

    /// <summary>Any signed-in user.</summary>
    public static readonly string Read = Policy(ApiPolicies.Read);
}
