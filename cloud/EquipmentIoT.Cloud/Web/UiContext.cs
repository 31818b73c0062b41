using System.Globalization;
using EquipmentIoT.Cloud.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Text;

namespace EquipmentIoT.Cloud.Web;

/// <summary>
/// One request's language and time zones: the language from <c>?lang=</c> or the language cookie (Simplified Chinese
/// by default), texts through <see cref="T"/>, and instants shown in the local time of a device's site.
/// </summary>
public sealed class UiContext
{
    /// <summary>The cookie that remembers the language.</summary>
    public const string LanguageCookie = "eqiot-lang";

    private static readonly LocalDateTimePattern Minutes = LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd' 'HH':'mm");
    private static readonly LocalDateTimePattern Seconds = LocalDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd' 'HH':'mm':'ss");

    private readonly DateTimeZone _fallback;
    private Dictionary<string, DateTimeZone> _sites = new(StringComparer.Ordinal);
    private Dictionary<string, string?> _deviceSites = new(StringComparer.Ordinal);

    public UiContext(IHttpContextAccessor accessor, IOptions<WebUiOptions> options, IClock clock)
    {
        ArgumentNullException.ThrowIfNull(accessor);
        ArgumentNullException.ThrowIfNull(options);
        Lang = LanguageOf(accessor.HttpContext);
        _fallback = DateTimeZoneProviders.Tzdb.GetZoneOrNull(options.Value.DefaultTimeZone) ?? DateTimeZone.Utc;
        Now = clock.GetCurrentInstant();
        Path = accessor.HttpContext?.Request.Path.Value ?? "/";
    }

    /// <summary>"zh" or "en".</summary>
    public string Lang { get; }

    /// <summary>The HTML lang attribute.</summary>
    public string HtmlLang => Lang == "en" ? "en" : "zh-CN";

    /// <summary>The other language, for the switch.</summary>
    public string OtherLang => Lang == "en" ? "zh" : "en";

    /// <summary>The request's time (the injected clock).</summary>
    public Instant Now { get; }

    /// <summary>The request path (for the navigation's current item).</summary>
    public string Path { get; }

    /// <summary>The text of a key in this request's language.</summary>
    public string T(string key) => UiText.Get(key, Lang);

    /// <summary>The text of an enum value: <c>T("alarm.state.Firing")</c>.</summary>
    public string T<TEnum>(string prefix, TEnum value)
        where TEnum : struct, Enum => T($"{prefix}.{value}");

    /// <summary>Loads the sites' time zones (and which device is where) for <see cref="Time(Instant?, string?)"/>; once per request.</summary>
    public async Task LoadSitesAsync(IRegistryStore registry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var sites = await registry.ListSitesAsync(cancellationToken).ConfigureAwait(false);
        _sites = sites.ToDictionary(s => s.Id, s => DateTimeZoneProviders.Tzdb.GetZoneOrNull(s.TimeZone) ?? _fallback, StringComparer.Ordinal);
    }

    /// <summary>Remembers the sites of devices shown on the page, so that <see cref="DeviceTime"/> can use them.</summary>
    public void KnowDevices(IEnumerable<DeviceRecord> devices)
    {
        ArgumentNullException.ThrowIfNull(devices);
        _deviceSites = devices.ToDictionary(d => d.Id, d => d.Asset.Site, StringComparer.Ordinal);
    }

    /// <summary>The time zone of a site (the configured default for an unknown one).</summary>
    public DateTimeZone ZoneOf(string? site) => site is not null && _sites.TryGetValue(site, out var zone) ? zone : _fallback;

    /// <summary>"2026-12-02 14:05" in the site's local time, or "—".</summary>
    public string Time(Instant? at, string? site) => at is { } t ? Minutes.Format(t.InZone(ZoneOf(site)).LocalDateTime) : "—";

    /// <summary>With seconds.</summary>
    public string TimeSeconds(Instant? at, string? site) => at is { } t ? Seconds.Format(t.InZone(ZoneOf(site)).LocalDateTime) : "—";

    /// <summary>An instant in the local time of the site of a device known through <see cref="KnowDevices"/>.</summary>
    public string DeviceTime(Instant? at, string? device) =>
        Time(at, device is not null && _deviceSites.TryGetValue(device, out var site) ? site : null);

    /// <summary>"5 min ago" style age.</summary>
    public string Ago(Instant? at)
    {
        if (at is not { } t) return T("common.never");
        var d = Now - t;
        var en = Lang == "en";
        if (d < Duration.FromMinutes(1)) return en ? "just now" : "刚刚";
        if (d < Duration.FromHours(1)) return en ? $"{(int)d.TotalMinutes} min ago" : $"{(int)d.TotalMinutes} 分钟前";
        if (d < Duration.FromDays(2)) return en ? $"{(int)d.TotalHours} h ago" : $"{(int)d.TotalHours} 小时前";
        return en ? $"{(int)d.TotalDays} days ago" : $"{(int)d.TotalDays} 天前";
    }

    /// <summary>A number as shown: up to 2 decimals, invariant.</summary>
    public static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    /// <summary>The URL of the current page in the other language.</summary>
    public string SwitchUrl(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = request.Query.Where(q => q.Key != "lang").SelectMany(q => q.Value.Select(v => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(v ?? "")}"));
        return request.PathBase + request.Path + "?" + string.Join('&', query.Append("lang=" + OtherLang));
    }

    /// <summary>The language of a request: a valid <c>?lang=</c>, else the cookie, else Chinese.</summary>
    public static string LanguageOf(HttpContext? context)
    {
        if (context is null) return UiText.Languages[0];
        var asked = context.Request.Query["lang"].ToString();
        if (UiText.Languages.Contains(asked)) return asked;
        var cookie = context.Request.Cookies[LanguageCookie];
        return cookie is not null && UiText.Languages.Contains(cookie) ? cookie : UiText.Languages[0];
    }
}
