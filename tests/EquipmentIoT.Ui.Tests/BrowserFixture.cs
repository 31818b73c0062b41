using EquipmentIoT.Testing;
using Microsoft.Playwright;

namespace EquipmentIoT.Ui.Tests;

/// <summary>
/// A seeded <see cref="UiHost"/> and Debian's chromium driven by Playwright's bundled driver: launched through ExecutablePath
/// (no <c>playwright install</c>, no download) with the headless flags of ENVIRONMENT.md and a fresh user-data directory.
/// Screenshots go to <c>screenshots/</c> under the test's output directory.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>Every Playwright wait is bounded by this.</summary>
    public const float TimeoutMs = 30_000;

    private static readonly string[] HeadlessFlags =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync",
    ];

    private IPlaywright? _playwright;
    private string? _profile;

    public UiHost Host { get; private set; } = null!;

    public IBrowserContext Context { get; private set; } = null!;

    public static string Screenshots { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        var chromium = ExternalTool.Require("/usr/bin/chromium", "chromium");
        Directory.CreateDirectory(Screenshots);
        Host = await UiHost.StartAsync();
        _profile = Directory.CreateTempSubdirectory("eqiot-ui-chromium-").FullName;
        _playwright = await Playwright.CreateAsync();
        Context = await _playwright.Chromium.LaunchPersistentContextAsync(_profile, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = HeadlessFlags,
            Timeout = TimeoutMs,
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
            Locale = "zh-CN",
            TimezoneId = "Asia/Shanghai",
        });
        Context.SetDefaultTimeout(TimeoutMs);
        Context.SetDefaultNavigationTimeout(TimeoutMs);
    }

    /// <summary>
    /// A new page with no session: earlier tests' pages closed (a page left open keeps running: the device page's live.js reloads
    /// into the sign-in form once its session is gone and so replaces the context's antiforgery cookie under another page's form),
    /// then their cookies cleared.
    /// </summary>
    public async Task<IPage> NewPageAsync()
    {
        foreach (var open in Context.Pages.ToList()) await open.CloseAsync();
        await Context.ClearCookiesAsync();
        return await Context.NewPageAsync();
    }

    /// <summary>Signs in through the form and waits for the fleet.</summary>
    public async Task<IPage> SignedInAsync(string user, string password)
    {
        var page = await NewPageAsync();
        await page.GotoAsync(new Uri(Host.Address, "/SignIn").ToString());
        await page.FillAsync("#username", user);
        await page.FillAsync("#password", password);
        await page.ClickAsync("button[type=submit]");
        // Either the fleet (signed in) or the form again with the reason: a refusal fails at once, naming it.
        var left = page.WaitForURLAsync(u => !u.Contains("SignIn", StringComparison.OrdinalIgnoreCase));
        var refused = page.Locator("[data-testid=signin-error]").WaitForAsync();
        if (await Task.WhenAny(left, refused) == refused && !left.IsCompleted)
        {
            throw new InvalidOperationException($"sign-in of {user} refused: {await page.Locator("[data-testid=signin-error]").TextContentAsync()}");
        }
        await left;
        return page;
    }

    public string Url(string path) => new Uri(Host.Address, path).ToString();

    /// <summary>Saves a full-page screenshot as <c>screenshots/{name}.png</c>.</summary>
    public static Task ShotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, name + ".png"), FullPage = true });

    public async Task DisposeAsync()
    {
        if (Context is not null) await Context.CloseAsync();
        _playwright?.Dispose();
        if (Host is not null) await Host.DisposeAsync();
        if (_profile is not null) Directory.Delete(_profile, recursive: true);
    }
}
