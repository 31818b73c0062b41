using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Html;

namespace EquipmentIoT.Cloud.Web.Charts;

/// <summary>A point of a chart: the line's value with the range [Min, Max] around it (a step's aggregate), flagged when it is an excursion.</summary>
public readonly record struct ChartPoint(double X, double Y, double Min, double Max, bool Flagged = false);

/// <summary>What to draw besides the points: labels of the x axis, the unit, and a window's limits as dashed lines.</summary>
public sealed record ChartOptions(Func<double, string> XLabel, string? Unit = null, double? WindowMin = null, double? WindowMax = null,
    int Width = 800, int Height = 220, string? Title = null);

/// <summary>
/// Server-rendered SVG line charts: no script, nothing loaded from elsewhere, printable, and cheap (a few hundred
/// points per chart, from the series store's stepped queries). The min–max band shows what each step's mean hides.
/// </summary>
public static class SvgLineChart
{
    private const int Left = 60;
    private const int Right = 12;
    private const int Top = 12;
    private const int Bottom = 30;

    /// <summary>The chart as an inline <c>&lt;svg&gt;</c> element (an empty-state text when there are no points).</summary>
    public static HtmlString Render(IReadOnlyList<ChartPoint> points, ChartOptions options, string emptyText)
    {
        ArgumentNullException.ThrowIfNull(points);
        ArgumentNullException.ThrowIfNull(options);
        if (points.Count == 0) return new HtmlString($"<p class=\"empty\">{Enc(emptyText)}</p>");

        var (w, h) = (options.Width, options.Height);
        var (plotW, plotH) = (w - Left - Right, h - Top - Bottom);
        var xMin = points.Min(p => p.X);
        var xMax = points.Max(p => p.X);
        if (xMax <= xMin) xMax = xMin + 1;
        var yValues = points.SelectMany(p => new[] { p.Min, p.Max, p.Y }).Where(double.IsFinite).ToList();
        if (options.WindowMin is { } wmin) yValues.Add(wmin);
        if (options.WindowMax is { } wmax) yValues.Add(wmax);
        var yMin = yValues.Count == 0 ? 0 : yValues.Min();
        var yMax = yValues.Count == 0 ? 1 : yValues.Max();
        var pad = (yMax - yMin) * 0.08;
        if (pad <= 0) pad = Math.Max(Math.Abs(yMax) * 0.05, 0.5);
        (yMin, yMax) = (yMin - pad, yMax + pad);

        double X(double x) => Left + (x - xMin) / (xMax - xMin) * plotW;
        double Y(double y) => Top + (1 - (y - yMin) / (yMax - yMin)) * plotH;

        var svg = new StringBuilder(4096);
        svg.Append(CultureInfo.InvariantCulture, $"<svg class=\"chart\" viewBox=\"0 0 {w} {h}\" role=\"img\" preserveAspectRatio=\"none\"");
        if (options.Title is not null) svg.Append(" aria-label=\"").Append(Enc(options.Title)).Append('"');
        svg.Append('>');
        for (var i = 0; i <= 4; i++)
        {
            var v = yMin + (yMax - yMin) * i / 4;
            var y = Y(v);
            svg.Append(CultureInfo.InvariantCulture, $"<line class=\"grid\" x1=\"{Left}\" x2=\"{w - Right}\" y1=\"{F(y)}\" y2=\"{F(y)}\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"ylabel\" x=\"{Left - 6}\" y=\"{F(y + 4)}\" text-anchor=\"end\">{Enc(UiContext.Number(v))}</text>");
        }

        for (var i = 0; i <= 4; i++)
        {
            var v = xMin + (xMax - xMin) * i / 4;
            var anchor = i == 0 ? "start" : i == 4 ? "end" : "middle";
            svg.Append(CultureInfo.InvariantCulture, $"<text class=\"xlabel\" x=\"{F(X(v))}\" y=\"{h - 8}\" text-anchor=\"{anchor}\">{Enc(options.XLabel(v))}</text>");
        }

        if (options.Unit is not null) svg.Append(CultureInfo.InvariantCulture, $"<text class=\"unit\" x=\"4\" y=\"{Top + 10}\">{Enc(options.Unit)}</text>");
        foreach (var limit in new[] { options.WindowMin, options.WindowMax })
        {
            if (limit is { } l) svg.Append(CultureInfo.InvariantCulture, $"<line class=\"window\" x1=\"{Left}\" x2=\"{w - Right}\" y1=\"{F(Y(l))}\" y2=\"{F(Y(l))}\"/>");
        }

        // The band: along the maxima, back along the minima.
        svg.Append("<polygon class=\"band\" points=\"");
        foreach (var p in points) svg.Append(F(X(p.X))).Append(',').Append(F(Y(p.Max))).Append(' ');
        for (var i = points.Count - 1; i >= 0; i--) svg.Append(F(X(points[i].X))).Append(',').Append(F(Y(points[i].Min))).Append(' ');
        svg.Append("\"/><polyline class=\"line\" points=\"");
        foreach (var p in points) svg.Append(F(X(p.X))).Append(',').Append(F(Y(p.Y))).Append(' ');
        svg.Append("\"/>");
        foreach (var p in points.Where(p => p.Flagged))
            svg.Append(CultureInfo.InvariantCulture, $"<circle class=\"flag\" cx=\"{F(X(p.X))}\" cy=\"{F(Y(p.Y))}\" r=\"4\"/>");
        if (points.Count == 1) svg.Append(CultureInfo.InvariantCulture, $"<circle class=\"dot\" cx=\"{F(X(points[0].X))}\" cy=\"{F(Y(points[0].Y))}\" r=\"3\"/>");
        svg.Append("</svg>");
        return new HtmlString(svg.ToString());
    }

    private static string F(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);

    private static string Enc(string text) => WebUtility.HtmlEncode(text);
}
