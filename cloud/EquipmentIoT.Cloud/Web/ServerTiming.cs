using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace EquipmentIoT.Cloud.Web;

/// <summary>
/// <c>Server-Timing: app;dur=12.3</c> on every UI response (not <c>/api</c>, not the stylesheet and script): milliseconds from the request
/// entering the pipeline to the response starting. Razor Pages buffer their output, so this is the page's store reads and render;
/// engineers read it in the browser's developer tools and <c>eqiot-bench ui</c> reads it to measure pages on a year of data.
/// Registered as a startup filter so that it wraps the whole pipeline, authentication included.
/// </summary>
internal sealed class ServerTiming : IStartupFilter
{
    /// <summary>The header's metric name.</summary>
    public const string Metric = "app";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(Measure);
        next(app);
    };

    private static Task Measure(HttpContext context, Func<Task> next)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
            || path.StartsWithSegments(WebUi.StylesheetPath, StringComparison.OrdinalIgnoreCase)
            || path.StartsWithSegments(WebUi.ScriptPath, StringComparison.OrdinalIgnoreCase))
        {
            return next();
        }

        var started = Stopwatch.GetTimestamp();
        context.Response.OnStarting(() =>
        {
            var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            context.Response.Headers["Server-Timing"] = string.Create(CultureInfo.InvariantCulture, $"{Metric};dur={ms:0.0}");
            return Task.CompletedTask;
        });
        return next();
    }
}
