using System.Net;
using System.Text.RegularExpressions;

namespace EquipmentIoT.Ui.Tests;

/// <summary>An HttpClient with a cookie jar and no automatic redirects, that reads antiforgery tokens from the pages it gets.</summary>
internal sealed partial class UiClient : IDisposable
{
    private readonly HttpClientHandler _handler;

    public UiClient(Uri address)
    {
        _handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false, UseCookies = true };
        Http = new HttpClient(_handler) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(20) };
    }

    public HttpClient Http { get; }

    public CookieContainer Cookies => _handler.CookieContainer;

    /// <summary>The antiforgery token of the first form on <paramref name="path"/>.</summary>
    public async Task<string> TokenOfAsync(string path)
    {
        var html = await Http.GetStringAsync(path);
        var match = AntiforgeryField().Match(html);
        Assert.True(match.Success, $"no antiforgery field on {path}");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    /// <summary>Posts a form with the antiforgery token of <paramref name="tokenFrom"/>.</summary>
    public async Task<HttpResponseMessage> PostAsync(string path, string tokenFrom, params (string Name, string Value)[] fields)
    {
        var token = await TokenOfAsync(tokenFrom);
        using var form = new FormUrlEncodedContent([.. fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)), new("__af", token)]);
        return await Http.PostAsync(path, form);
    }

    /// <summary>Signs in; the response (302 on success).</summary>
    public Task<HttpResponseMessage> SignInAsync(string user, string password) =>
        PostAsync("/SignIn", "/SignIn", ("username", user), ("password", password));

    public void Dispose()
    {
        Http.Dispose();
        _handler.Dispose();
    }

    [GeneratedRegex("name=\"__af\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
