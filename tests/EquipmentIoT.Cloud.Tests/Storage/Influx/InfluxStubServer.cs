using System.Collections.Concurrent;
using EquipmentIoT.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace EquipmentIoT.Cloud.Tests.Storage.Influx;

/// <summary>
/// A tiny HTTP server on a free loopback port standing in front of InfluxDB: it records each request's path and
/// Authorization header, answers the first <c>failures</c> requests with 503 and forwards the rest to
/// <c>upstream</c> (or answers 204 when there is none). For the retry and token tests only.
/// </summary>
internal sealed class InfluxStubServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _upstream = new();
    private int _failuresLeft;

    private InfluxStubServer(WebApplication app, Uri uri, int failures)
    {
        _app = app;
        Uri = uri;
        _failuresLeft = failures;
    }

    public Uri Uri { get; }

    public ConcurrentQueue<(string Path, string? Authorization, int Status)> Requests { get; } = new();

    public static async Task<InfluxStubServer> StartAsync(int failures, Uri? upstream)
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var stub = new InfluxStubServer(app, new Uri($"http://127.0.0.1:{port}/"), failures);
        app.Run(context => stub.HandleAsync(context, upstream));
        await app.StartAsync();
        return stub;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _upstream.Dispose();
    }

    private async Task HandleAsync(HttpContext context, Uri? upstream)
    {
        var request = context.Request;
        var authorization = request.Headers.Authorization.ToString();
        if (Interlocked.Decrement(ref _failuresLeft) >= 0)
        {
            Requests.Enqueue((request.Path, authorization, 503));
            context.Response.StatusCode = 503;
            await context.Response.WriteAsync("<html>upstream unavailable</html>");
            return;
        }
        if (upstream is null)
        {
            Requests.Enqueue((request.Path, authorization, 204));
            context.Response.StatusCode = 204;
            return;
        }
        using var forward = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(upstream, request.Path.Value!.TrimStart('/') + request.QueryString));
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body);
        forward.Content = new ByteArrayContent(body.ToArray());
        if (request.ContentType is { } type) forward.Content.Headers.TryAddWithoutValidation("Content-Type", type);
        using var answer = await _upstream.SendAsync(forward);
        Requests.Enqueue((request.Path, authorization, (int)answer.StatusCode));
        context.Response.StatusCode = (int)answer.StatusCode;
        await answer.Content.CopyToAsync(context.Response.Body);
    }
}
