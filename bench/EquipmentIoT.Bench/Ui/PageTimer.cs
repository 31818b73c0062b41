using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace EquipmentIoT.Bench.Ui;

/// <summary>The figures of one page: server time (its Server-Timing header), wall time on loopback, response size.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed record PageFigures(string Label, string Path, IReadOnlyList<double> ServerMs, IReadOnlyList<double> WallMs, long Bytes);

/// <summary>
/// A signed-in browser without a browser: a cookie jar, no redirects followed, the sign-in form posted with the antiforgery token of its
/// GET. Times pages one request after another and refuses any answer but 200 or a page without a Server-Timing header.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed partial class PageTimer : IDisposable
{
    private readonly SocketsHttpHandler _handler;
    private readonly HttpClient _http;

    public PageTimer(Uri address)
    {
        _handler = new SocketsHttpHandler { CookieContainer = new CookieContainer(), UseCookies = true, AllowAutoRedirect = false };
        _http = new HttpClient(_handler) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>Signs in through the form; throws unless the answer is the redirect of a successful sign-in.</summary>
    public async Task SignInAsync(string user, string password, CancellationToken cancellationToken)
    {
        var form = await _http.GetStringAsync(new Uri("/SignIn", UriKind.Relative), cancellationToken).ConfigureAwait(false);
        var token = AntiforgeryField().Match(form);
        if (!token.Success) throw new InvalidOperationException("the sign-in page has no antiforgery field");
        using var content = new FormUrlEncodedContent([new("username", user), new("password", password), new("__af", WebUtility.HtmlDecode(token.Groups[1].Value))]);
        using var response = await _http.PostAsync(new Uri("/SignIn", UriKind.Relative), content, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Redirect)
            throw new InvalidOperationException($"signing in as {user} answered {(int)response.StatusCode}, not 302");
    }

    /// <summary><paramref name="warmUp"/> requests not counted, then <paramref name="requests"/> timed.</summary>
    public async Task<PageFigures> TimeAsync(string label, string path, int warmUp, int requests, CancellationToken cancellationToken)
    {
        var server = new List<double>(requests);
        var wall = new List<double>(requests);
        long bytes = 0;
        for (var i = 0; i < warmUp + requests; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await _http.GetAsync(new Uri(path, UriKind.Relative), cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (response.StatusCode != HttpStatusCode.OK)
                throw new InvalidOperationException($"{path} answered {(int)response.StatusCode} {response.StatusCode}, not 200 ({response.Headers.Location})");
            if (i < warmUp) continue;
            server.Add(ServerMs(response, path));
            wall.Add(elapsed);
            bytes = body.Length;
        }
        return new PageFigures(label, path, server, wall, bytes);
    }

    public void Dispose()
    {
        _http.Dispose();
        _handler.Dispose();
    }

    private static double ServerMs(HttpResponseMessage response, string path)
    {
        var header = response.Headers.TryGetValues("Server-Timing", out var values) ? values.FirstOrDefault() : null;
        var match = header is null ? Match.Empty : ServerTimingValue().Match(header);
        if (!match.Success) throw new InvalidOperationException($"{path}: no well-formed Server-Timing header ('{header}')");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex("name=\"__af\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex(@"\bapp;dur=([0-9]+(?:\.[0-9]+)?)")]
    private static partial Regex ServerTimingValue();
}
