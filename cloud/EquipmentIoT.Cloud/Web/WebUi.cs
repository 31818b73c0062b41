using EquipmentIoT.Cloud.Api.Auth;
using EquipmentIoT.Cloud.Hosting;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Storage.Sqlite;
using EquipmentIoT.Cloud.Web.Users;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.ApplicationParts;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.WebEncoders;
using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace EquipmentIoT.Cloud.Web;

/// <summary>
/// The web UI: Razor Pages under <c>Web/Pages</c> served by the cloud itself, signed in with a cookie (its own scheme beside the
/// API's bearer tokens: pages take only the cookie, <c>/api</c> only tokens), one stylesheet, one small script of our own (live fragments) and nothing from elsewhere.
/// Every page answers with its server time in a <c>Server-Timing</c> header (<see cref="ServerTiming"/>).
/// </summary>
public static class WebUi
{
    /// <summary>The stylesheet's path.</summary>
    public const string StylesheetPath = "/ui/ui.css";

    private const string StylesheetResource = "EquipmentIoT.Cloud.Web.Assets.ui.css";

    /// <summary>The one script: live fragments (<c>data-live</c>).</summary>
    public const string ScriptPath = "/ui/live.js";

    private const string ScriptResource = "EquipmentIoT.Cloud.Web.Assets.live.js";

    /// <summary>The request header live.js sends: such requests do not extend the session.</summary>
    public const string LiveHeader = "X-Eqiot-Live";

    /// <summary>Registers the UI with the data directory of <c>Cloud:DataDirectory</c> (as <see cref="CloudComposition.AddCloud"/> reads it).</summary>
    public static IHostApplicationBuilder AddWebUi(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var dataDirectory = Path.GetFullPath(builder.Configuration[$"{CloudOptions.Section}:{nameof(CloudOptions.DataDirectory)}"] ?? CloudPaths.DefaultDataDirectory);
        builder.Services.AddWebUi(dataDirectory);
        return builder;
    }

    /// <summary>Registers the user store (records.db of <paramref name="dataDirectory"/>), cookie sign-in, the UI policies and the pages.</summary>
    public static IServiceCollection AddWebUi(this IServiceCollection services, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<WebUiOptions>().BindConfiguration(WebUiOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddUserStore(dataDirectory);
        services.AddSingleton<UserSignIn>();
        services.AddHttpContextAccessor();
        services.AddTransient<IStartupFilter, ServerTiming>();
        // Chinese text as text, not as &#x...; escapes (Razor's encoder allows Basic Latin only by default).
        services.Configure<WebEncoderOptions>(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        services.AddScoped<UiContext>();

        // No default scheme here: the API's bearer scheme stays the default, the pages name theirs through their policies.
        services.AddAuthentication().AddCookie(UiAuth.Scheme);
        services.AddOptions<CookieAuthenticationOptions>(UiAuth.Scheme).Configure<IOptions<WebUiOptions>>((cookie, ui) =>
        {
            cookie.Cookie.Name = UiAuth.CookieName;
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.ExpireTimeSpan = ui.Value.SessionTimeout;
            cookie.SlidingExpiration = true;
            cookie.LoginPath = "/signin";
            cookie.LogoutPath = "/signout";
            cookie.AccessDeniedPath = "/denied";
            cookie.ReturnUrlParameter = "returnUrl";
            // A page refreshing itself is not the user doing something: only their own requests keep the session alive.
            cookie.Events.OnCheckSlidingExpiration = context =>
            {
                if (context.Request.Headers.ContainsKey(LiveHeader)) context.ShouldRenew = false;
                return Task.CompletedTask;
            };
        });
        var authorization = services.AddAuthorizationBuilder();
        foreach (var (name, roles) in ApiPolicies.Roles)
        {
            authorization.AddPolicy(UiAuth.Policy(name), policy => policy.AddAuthenticationSchemes(UiAuth.Scheme).RequireAuthenticatedUser()
                .RequireRole(roles.Select(ApiPolicies.ClaimOf)));
        }

        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "eqiot-af";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.FormFieldName = "__af";
        });
        services.AddRazorPages(o =>
            {
                o.RootDirectory = "/Web/Pages";
                o.Conventions.AuthorizeFolder("/", UiAuth.Read);
                o.Conventions.AllowAnonymousToPage("/SignIn");
                o.Conventions.AllowAnonymousToPage("/Denied");
            })
            .AddMvcOptions(o => o.Filters.Add<UiAuditFilter>())
            .ConfigureApplicationPartManager(parts =>
            {
                // The host may not be this assembly (tests, a composed host): add our compiled pages once.
                var assembly = typeof(WebUi).Assembly;
                if (parts.ApplicationParts.OfType<AssemblyPart>().All(p => p.Assembly != assembly))
                {
                    foreach (var part in ApplicationPartFactory.GetApplicationPartFactory(assembly).GetApplicationParts(assembly)) parts.ApplicationParts.Add(part);
                }
            });
        return services;
    }

    /// <summary>Registers <see cref="IUserStore"/> on records.db of <paramref name="dataDirectory"/> (also as a store initializer).</summary>
    public static IServiceCollection AddUserStore(this IServiceCollection services, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        var records = new SqliteDatabase(Path.Combine(dataDirectory, SqliteRecordStores.RecordsFileName));
        services.AddSingleton(_ => new SqliteUserStore(records));
        services.AddSingleton<IUserStore>(sp => sp.GetRequiredService<SqliteUserStore>());
        services.AddSingleton<IStoreInitializer>(sp => sp.GetRequiredService<SqliteUserStore>());
        return services;
    }

    /// <summary>Maps the pages, the stylesheet and the language switch.</summary>
    public static WebApplication MapWebUi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use(RememberLanguage);
        app.MapGet(StylesheetPath, context => ServeAssetAsync(context, StylesheetResource, "text/css; charset=utf-8")).AllowAnonymous().ExcludeFromDescription();
        app.MapGet(ScriptPath, context => ServeAssetAsync(context, ScriptResource, "text/javascript; charset=utf-8")).AllowAnonymous().ExcludeFromDescription();
        app.MapRazorPages();
        return app;
    }

    // ?lang=en on any page: remembered in a cookie for the pages that follow.
    private static Task RememberLanguage(HttpContext context, Func<Task> next)
    {
        var asked = context.Request.Query["lang"].ToString();
        if (UiText.Languages.Contains(asked) && !context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.Cookies.Append(UiContext.LanguageCookie, asked, new CookieOptions
            {
                HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = context.Request.IsHttps, MaxAge = TimeSpan.FromDays(365), Path = "/",
            });
        }

        return next();
    }

    private static async Task ServeAssetAsync(HttpContext context, string resource, string contentType)
    {
        await using var asset = typeof(WebUi).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"the web UI resource {resource} is missing from the build");
        context.Response.ContentType = contentType;
        context.Response.Headers.CacheControl = "public, max-age=3600";
        await asset.CopyToAsync(context.Response.Body, context.RequestAborted).ConfigureAwait(false);
    }
}
