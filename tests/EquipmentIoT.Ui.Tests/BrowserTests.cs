using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Web.Users;
using EquipmentIoT.Protocols.Telemetry.Model;
using Microsoft.Playwright;
using NodaTime;

namespace EquipmentIoT.Ui.Tests;

/// <summary>The UI in a real browser (Debian's chromium) on the seeded demo-like data; each test saves screenshots of what it saw.</summary>
public sealed class BrowserTests(BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task SignIn_WrongPasswordShowsError_AndFiveFailuresLock()
    {
        const string name = "lockout-browser";
        await browser.Host.Get<IUserStore>().AddAsync(new NewUser(name, name, [Role.Engineer], null, UserPasswords.Hash("Right-password-2"), UiHost.Now),
            CancellationToken.None);
        var page = await browser.NewPageAsync();
        await page.GotoAsync(browser.Url("/"));
        Assert.Contains("/signin", page.Url, StringComparison.OrdinalIgnoreCase);
        await BrowserFixture.ShotAsync(page, "01-signin");
        for (var i = 0; i < 5; i++)
        {
            await page.FillAsync("#username", name);
            await page.FillAsync("#password", "wrong-" + i);
            await page.ClickAsync("button[type=submit]");
            var error = await page.Locator("[data-testid=signin-error]").TextContentAsync();
            Assert.Contains(i < 4 ? "用户名或密码错误" : "已锁定", error, StringComparison.Ordinal);
        }

        await page.FillAsync("#username", name);
        await page.FillAsync("#password", "Right-password-2");
        await page.ClickAsync("button[type=submit]");
        Assert.Contains("已锁定", await page.Locator("[data-testid=signin-error]").TextContentAsync(), StringComparison.Ordinal);
        await BrowserFixture.ShotAsync(page, "02-signin-locked");
    }

    [Fact]
    public async Task Fleet_ShowsEveryDeviceWithItsStatus()
    {
        var page = await browser.SignedInAsync("engineer", UiSeed.PasswordOf(Role.Engineer));
        await page.GotoAsync(browser.Url("/"));
        foreach (var id in new[] { "ct-01", "mr-01", "am-01" }) Assert.True(await page.Locator($"[data-testid=device-{id}]").IsVisibleAsync(), id);
        // The MR has an open major alarm: critical colour; the others were heard from a minute ago: ok.
        Assert.Contains("status-critical", await page.Locator("[data-testid=device-mr-01]").GetAttributeAsync("class"), StringComparison.Ordinal);
        Assert.Contains("status-ok", await page.Locator("[data-testid=device-ct-01]").GetAttributeAsync("class"), StringComparison.Ordinal);
        await BrowserFixture.ShotAsync(page, "03-fleet");

        await page.SelectOptionAsync("#class", "mr");
        await page.ClickAsync("form.filters button");
        await page.WaitForURLAsync(u => u.Contains("class=mr", StringComparison.Ordinal));
        Assert.Equal(1, await page.Locator(".device-card").CountAsync());
    }

    [Fact]
    public async Task Alarm_AcknowledgedWithAComment()
    {
        var page = await browser.SignedInAsync("manager", UiSeed.PasswordOf(Role.Manager));
        await page.GotoAsync(browser.Url("/Alarms"));
        await BrowserFixture.ShotAsync(page, "04-alarms");
        var row = page.Locator($"[data-testid=alarm-{browser.Host.Seed.AlarmId}]");
        await row.Locator("input[name=comment]").FillAsync("已通知厂家工程师，明早检查冷头");
        await row.Locator("button[type=submit]").ClickAsync();
        await page.Locator(".flash").WaitForAsync();
        Assert.Contains("已确认", await row.Locator("[data-testid=alarm-state]").TextContentAsync(), StringComparison.Ordinal);
        Assert.Contains("已通知厂家工程师", await row.TextContentAsync(), StringComparison.Ordinal);

        await page.GotoAsync(browser.Url($"/Alarm/{browser.Host.Seed.AlarmId}"));
        Assert.Contains("manager", await page.Locator("table").TextContentAsync(), StringComparison.Ordinal);
        await BrowserFixture.ShotAsync(page, "05-alarm");
    }

    [Fact]
    public async Task Build_OperatorLogsAStep()
    {
        var page = await browser.SignedInAsync("operator", UiSeed.PasswordOf(Role.Operator));
        await page.GotoAsync(browser.Url($"/Build/{browser.Host.Seed.BuildId}"));
        Assert.Equal(2, await page.Locator("svg.chart").CountAsync());
        await BrowserFixture.ShotAsync(page, "06-build");
        await page.ClickAsync("a[href$='kind=material#log']");
        await page.FillAsync("#f-material", "Ti6Al4V ELI");
        await page.FillAsync("#f-powder_lot", "PL-2026-118");
        await page.FillAsync("#f-reuse_count", "3");
        await page.FillAsync("#f-sieve", "63um");
        await page.ClickAsync("[data-testid=entry-form] button[type=submit]");
        await page.Locator(".flash").WaitForAsync();
        var entry = page.Locator("[data-testid=entry-material]");
        Assert.Contains("PL-2026-118", await entry.TextContentAsync(), StringComparison.Ordinal);
        Assert.Contains("operator (operator)", await entry.TextContentAsync(), StringComparison.Ordinal);
        await BrowserFixture.ShotAsync(page, "06-build-logged");
    }

    [Fact]
    public async Task Build_ReleaseIsHiddenFromAnOperator_AndShownToAManager()
    {
        var operatorPage = await browser.SignedInAsync("operator", UiSeed.PasswordOf(Role.Operator));
        await operatorPage.GotoAsync(browser.Url($"/Build/{browser.Host.Seed.BuildId}"));
        Assert.Equal(0, await operatorPage.Locator("[data-testid=release-form]").CountAsync());

        var managerPage = await browser.SignedInAsync("manager", UiSeed.PasswordOf(Role.Manager));
        await managerPage.GotoAsync(browser.Url($"/Build/{browser.Host.Seed.BuildId}"));
        Assert.Equal(1, await managerPage.Locator("[data-testid=release-form]").CountAsync());
    }

    [Fact]
    public async Task Licences_ShowTheirBandColours()
    {
        var page = await browser.SignedInAsync("auditor", UiSeed.PasswordOf(Role.Auditor));
        await page.GotoAsync(browser.Url("/Licences"));
        await BrowserFixture.ShotAsync(page, "07-licences");
        async Task<string> ColourOf(string number) =>
            await page.Locator($"[data-testid='licence-{number}'] [data-testid=band]").EvaluateAsync<string>("e => getComputedStyle(e).backgroundColor");
        Assert.Equal("rgb(210, 31, 60)", await ColourOf("乙2025-090"));
        Assert.Equal("rgb(240, 120, 0)", await ColourOf("乙2026-033"));
        Assert.Equal("rgb(242, 194, 0)", await ColourOf("乙2026-021"));
        Assert.Equal("rgb(47, 111, 223)", await ColourOf("乙2026-017"));
        Assert.Contains("王经理", await page.Locator("[data-testid='licence-乙2026-021']").TextContentAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Language_ChineseByDefault_EnglishOnRequest_Remembered()
    {
        var page = await browser.SignedInAsync("admin", UiSeed.PasswordOf(Role.Admin));
        await page.GotoAsync(browser.Url("/Alarms"));
        Assert.Equal("zh-CN", await page.Locator("html").GetAttributeAsync("lang"));
        Assert.Contains("报警", await page.Locator("h1").TextContentAsync(), StringComparison.Ordinal);
        await page.ClickAsync("[data-testid=lang]");
        await page.WaitForURLAsync(u => u.Contains("lang=en", StringComparison.Ordinal));
        Assert.Equal("Alarms", (await page.Locator("h1").TextContentAsync())?.Trim());
        await page.GotoAsync(browser.Url("/Licences"));
        Assert.Equal("en", await page.Locator("html").GetAttributeAsync("lang"));
        await BrowserFixture.ShotAsync(page, "08-licences-en");
    }

    [Fact]
    public async Task OtherPages_Render_AndAreCapturedForAPerson()
    {
        var page = await browser.SignedInAsync("admin", UiSeed.PasswordOf(Role.Admin));
        foreach (var (path, name) in new[]
                 {
                     ("/Device/mr-01?m=helium_level&m=cold_head_temp&r=7d", "09-device"), ("/WorkOrders", "10-workorders"),
                     ($"/WorkOrder/{browser.Host.Seed.WorkOrderId}", "11-workorder"), ("/Integrity", "12-integrity"), ("/Agents", "13-agents"),
                     ("/Builds", "14-builds"),
                 })
        {
            var response = await page.GotoAsync(browser.Url(path));
            Assert.Equal(200, response!.Status);
            await BrowserFixture.ShotAsync(page, name);
        }

        await page.GotoAsync(browser.Url("/Device/mr-01?m=helium_level&r=7d"));
        Assert.Equal(1, await page.Locator("svg.chart polyline").CountAsync());
    }

    [Fact]
    public async Task DevicePage_LatestValues_UpdateWhileThePageIsOpen()
    {
        var page = await browser.SignedInAsync("engineer", UiSeed.PasswordOf(Role.Engineer));
        await page.GotoAsync(browser.Url("/Device/ct-01"));
        var latest = page.Locator("[data-testid=latest]");
        Assert.DoesNotContain("98.25", await latest.TextContentAsync() ?? "", StringComparison.Ordinal);

        // A reading arrives while the engineer looks at the page (live.js re-reads the fragment every WebUi:LiveRefresh, 1 s here).
        var reading = new MetricPoint("ct-01", "tube_temp", "Cel", UiHost.Now + Duration.FromMinutes(1), 98.25);
        await browser.Host.Get<ISeriesStore>().WriteAsync([new SeriesBatch(9_001, UiSeed.Agent, [reading])], CancellationToken.None);

        await Assertions.Expect(latest).ToContainTextAsync("98.25", new() { Timeout = BrowserFixture.TimeoutMs });
        Assert.Null(await latest.GetAttributeAsync("data-stale"));
        await BrowserFixture.ShotAsync(page, "15-device-live");
    }
}
