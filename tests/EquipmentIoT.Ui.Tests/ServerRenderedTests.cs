using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using EquipmentIoT.Cloud.Alarms;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Web;
using EquipmentIoT.Cloud.Web.Users;

namespace EquipmentIoT.Ui.Tests;

/// <summary>The UI's security over plain HTTP, no browser: sessions, antiforgery, the two schemes kept apart, roles enforced, audit.</summary>
public sealed class ServerRenderedTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private UiHost Host => fixture.Host;

    [Fact]
    public async Task SignInPage_Anonymous_RendersInChineseByDefault()
    {
        using var client = new UiClient(Host.Address);
        var html = await client.Http.GetStringAsync("/SignIn");
        Assert.Contains("<html lang=\"zh-CN\">", html, StringComparison.Ordinal);
        Assert.Contains("用户名", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Fleet_WithoutSession_RedirectsToSignIn()
    {
        using var client = new UiClient(Host.Address);
        using var response = await client.Http.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/signin", response.Headers.Location!.PathAndQuery, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task SignIn_WithoutAntiforgeryToken_IsRefused()
    {
        using var client = new UiClient(Host.Address);
        using var form = new FormUrlEncodedContent([new("username", "manager"), new("password", UiSeed.PasswordOf(Role.Manager))]);
        using var response = await client.Http.PostAsync("/SignIn", form);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain(client.Cookies.GetCookies(Host.Address), c => c.Name == "eqiot-session");
    }

    [Fact]
    public async Task SignIn_Success_SetsStrictHttpOnlyCookie_AndIsAudited()
    {
        using var client = new UiClient(Host.Address);
        using var response = await client.SignInAsync("auditor", UiSeed.PasswordOf(Role.Auditor));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var setCookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("eqiot-session=", StringComparison.Ordinal));
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, (await client.Http.GetAsync("/")).StatusCode);

        var audit = await Host.Get<IAuditLog>().QueryAsync(new AuditQuery(Actor: "auditor", ActionPrefix: "ui.signin"), CancellationToken.None);
        Assert.Contains(audit, e => e.Outcome == "ok");
    }

    [Fact]
    public async Task Api_WithSessionCookieOnly_IsUnauthorized()
    {
        using var client = new UiClient(Host.Address);
        (await client.SignInAsync("admin", UiSeed.PasswordOf(Role.Admin))).Dispose();
        using var response = await client.Http.GetAsync("/api/v1/devices");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Page_WithBearerTokenOnly_RedirectsToSignIn()
    {
        var token = await Host.Get<IApiTokenStore>().CreateAsync("ui-test-admin", Role.Admin, UiHost.Now, null, CancellationToken.None);
        using var client = new UiClient(Host.Address);
        client.Http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token.Token);
        Assert.Equal(HttpStatusCode.OK, (await client.Http.GetAsync("/api/v1/devices")).StatusCode);
        using var page = await client.Http.GetAsync("/Alarms");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
    }

    [Fact]
    public async Task Operator_AcknowledgingAnAlarm_IsDeniedOnTheServer_AndAudited()
    {
        using var client = new UiClient(Host.Address);
        (await client.SignInAsync("operator", UiSeed.PasswordOf(Role.Operator))).Dispose();
        var id = Host.Seed.AlarmId;
        using var response = await client.PostAsync($"/Alarm/{id}?handler=Ack", $"/Alarm/{id}", ("comment", "not mine to ack"));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/denied", response.Headers.Location!.PathAndQuery, StringComparison.OrdinalIgnoreCase);

        var alarm = await Host.Get<IAlarmStore>().GetAsync(id, CancellationToken.None);
        Assert.Null(alarm!.AcknowledgedBy);
        var audit = await Host.Get<IAuditLog>().QueryAsync(new AuditQuery(Actor: "operator", ActionPrefix: "ui POST"), CancellationToken.None);
        Assert.Contains(audit, e => e.Outcome == "denied" && e.Action.Contains("/Alarm", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FiveWrongPasswords_LockTheUser_EvenAgainstTheRightPassword()
    {
        const string name = "lockout-http";
        await Host.Get<IUserStore>().AddAsync(new NewUser(name, name, [Role.Engineer], null, UserPasswords.Hash("Right-password-1"), UiHost.Now),
            CancellationToken.None);
        using var client = new UiClient(Host.Address);
        for (var i = 0; i < 5; i++)
        {
            using var wrong = await client.SignInAsync(name, "wrong-password-" + i);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using var right = await client.SignInAsync(name, "Right-password-1");
        Assert.Equal(HttpStatusCode.Unauthorized, right.StatusCode);
        Assert.Contains("锁定", await right.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var audit = await Host.Get<IAuditLog>().QueryAsync(new AuditQuery(Actor: name), CancellationToken.None);
        Assert.Contains(audit, e => e.Action == "ui.lockout");
        Assert.Equal(5, audit.Count(e => e.Action == "ui.signin" && e.Outcome == "failed"));
        Assert.Contains(audit, e => e.Action == "ui.signin" && e.Outcome == "locked");
    }

    [Fact]
    public async Task SignOut_EndsTheSession_AndIsAudited()
    {
        using var client = new UiClient(Host.Address);
        (await client.SignInAsync("engineer", UiSeed.PasswordOf(Role.Engineer))).Dispose();
        using var signedOut = await client.PostAsync("/SignOut", "/");
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        using var after = await client.Http.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        var audit = await Host.Get<IAuditLog>().QueryAsync(new AuditQuery(Actor: "engineer", ActionPrefix: "ui.signout"), CancellationToken.None);
        Assert.NotEmpty(audit);
    }

    [Fact]
    public async Task EveryMainPage_RendersForAnAuditor()
    {
        using var client = new UiClient(Host.Address);
        (await client.SignInAsync("auditor", UiSeed.PasswordOf(Role.Auditor))).Dispose();
        foreach (var path in new[] { "/", "/Alarms", "/Alarms?view=history", $"/Alarm/{Host.Seed.AlarmId}", "/Licences", "/Builds", $"/Build/{Host.Seed.BuildId}",
                     $"/Build/{Host.Seed.BuildId}?handler=Report", $"/Build/{Host.Seed.BuildId}?handler=Export", $"/Build/{Host.Seed.BuildId}?verify=true",
                     "/Device/mr-01", "/Device/mr-01?m=helium_level&m=cold_head_temp&r=7d", "/Device/ct-01?r=365d", "/WorkOrders", "/WorkOrders?show=all",
                     $"/WorkOrder/{Host.Seed.WorkOrderId}", "/Integrity", "/Agents" })
        {
            using var response = await client.Http.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    [Fact]
    public async Task SignedInPage_CarriesServerTiming_ApiDoesNot()
    {
        using var client = new UiClient(Host.Address);
        (await client.SignInAsync("engineer", UiSeed.PasswordOf(Role.Engineer))).Dispose();
        using var page = await client.Http.GetAsync("/Alarms");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var header = Assert.Single(page.Headers.GetValues("Server-Timing"));
        var match = Regex.Match(header, @"^app;dur=([0-9]+\.[0-9])$");
        Assert.True(match.Success, $"Server-Timing '{header}' is not 'app;dur=<ms with one decimal>'");
        Assert.True(double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) >= 0);

        using var api = await client.Http.GetAsync("/api/v1/devices");
        Assert.False(api.Headers.Contains("Server-Timing"));
    }

    [Fact]
    public async Task LatestHandler_GivesTheFragmentAlone_AndTheScriptIsServedFromTheCloud()
    {
        using var client = new UiClient(Host.Address);
        (await client.SignInAsync("engineer", UiSeed.PasswordOf(Role.Engineer))).Dispose();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/Device/mr-01?handler=Latest");
        request.Headers.Add(WebUi.LiveHeader, "1");
        using var fragment = await client.Http.SendAsync(request);
        var html = await fragment.Content.ReadAsStringAsync();
        using var script = await client.Http.GetAsync(WebUi.ScriptPath);
        using var device = await client.Http.GetAsync("/Device/mr-01");
        var page = await device.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, fragment.StatusCode);
        Assert.StartsWith("<table data-testid=\"latest\">", html.Trim(), StringComparison.Ordinal);
        Assert.Contains("helium_level", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<html", html, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("text/javascript", script.Content.Headers.ContentType?.MediaType);
        Assert.Contains("X-Eqiot-Live", await script.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains($"<script src=\"{WebUi.ScriptPath}\" defer></script>", page, StringComparison.Ordinal);
        Assert.Contains("data-live=\"/Device/mr-01?handler=Latest\" data-live-seconds=\"1\"", page, StringComparison.Ordinal);
    }
}
