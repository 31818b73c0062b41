using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using NodaTime;
using NodaTime.Text;

namespace EquipmentIoT.Cloud.Builds;

/// <summary>
/// The printable build record (HTML, A4, no scripts, no external resources): header, seal and verification, parts
/// with UDIs, operator entries with who signed them, the printer's timeline, and the per-layer table with excursions
/// highlighted. Simplified Chinese by default, English on request.
/// </summary>
public static class BuildReport
{
    // All of Unicode as is (the page is UTF-8): Chinese stays readable in the file, markup characters are still escaped.
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(System.Text.Unicode.UnicodeRanges.All);

    /// <summary>Renders <paramref name="export"/>; <paramref name="language"/> "zh" (default) or "en"; times in <paramref name="zone"/>.</summary>
    public static string Render(BuildExport export, string? language, DateTimeZone zone)
    {
        ArgumentNullException.ThrowIfNull(export);
        ArgumentNullException.ThrowIfNull(zone);
        var t = BuildReportText.For(language);
        var b = export.Build;
        var r = b.Record;
        var time = ZonedDateTimePattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd HH':'mm':'ss", DateTimeZoneProviders.Tzdb);
        string When(Instant? at) => at is { } i ? time.Format(i.InZone(zone)) : "—";
        var s = new StringBuilder(64 * 1024);
        s.Append("<!DOCTYPE html><html lang=\"").Append(t.Lang).Append("\"><head><meta charset=\"utf-8\"><title>")
            .Append(E(t.Title)).Append(' ').Append(E(r.BatchNumber)).Append("</title><style>").Append(Css).Append("</style></head><body>");
        s.Append("<header><h1>").Append(E(t.Title)).Append("</h1><p class=\"batch\">").Append(E(r.BatchNumber)).Append("</p></header>");

        var sealLink = b.Ledger.LastOrDefault(l => l.Kind == BuildLedgerKind.Seal);
        s.Append("<section class=\"seal ").Append(sealLink is null ? "open" : export.Verification.Ok ? "ok" : "broken").Append("\"><h2>").Append(E(t.Seal)).Append("</h2>");
        if (sealLink is null) s.Append("<p>").Append(E(t.NotSealed)).Append("</p>");
        else
        {
            Row(s, t.SealedAt, When(sealLink.At));
            Row(s, t.SealedBy, sealLink.Actor);
            Row(s, t.LedgerSeq, sealLink.Seq.ToString(CultureInfo.InvariantCulture));
            Row(s, t.ContentHash, sealLink.ContentHash, "hash");
            Row(s, t.LinkHash, sealLink.Hash, "hash");
        }

        Row(s, t.Verification, export.Verification.Ok
            ? string.Format(CultureInfo.InvariantCulture, t.VerifiedOk, export.Verification.Links)
            : string.Format(CultureInfo.InvariantCulture, t.VerifiedBroken, export.Verification.FirstBroken!.Seq, export.Verification.FirstBroken.Reason));
        s.Append("</section>");

        s.Append("<section><h2>").Append(E(t.Job)).Append("</h2><table class=\"kv\">");
        Row(s, t.Machine, r.Device);
        Row(s, t.JobId, r.JobId?.ToString(CultureInfo.InvariantCulture) ?? "—");
        Row(s, t.Status, t.StatusName(r.Status));
        Row(s, t.Started, When(r.Started));
        Row(s, t.Ended, When(r.Ended));
        Row(s, t.Layers, $"{r.LayersStarted} / {r.LayersPlanned?.ToString(CultureInfo.InvariantCulture) ?? "?"}");
        Row(s, t.Material, export.Material);
        Row(s, t.PausesFaults, $"{r.Pauses} / {r.Faults}");
        Row(s, t.Recoater, r.RecoaterPasses.ToString(CultureInfo.InvariantCulture));
        Row(s, t.Excursions, r.ExcursionLayers.ToString(CultureInfo.InvariantCulture), r.ExcursionLayers > 0 ? "bad" : null);
        s.Append("</table></section>");

        s.Append("<section><h2>").Append(E(t.Parts)).Append("</h2>");
        Table(s, [t.PartNumber, t.CaseRef, t.DeviceName, "UDI"], b.Parts.Select(p => new[] { p.PartNumber, p.CaseRef, p.DeviceName, p.Udi }));
        s.Append("</section><section><h2>").Append(E(t.Entries)).Append("</h2>");
        var corrected = b.Entries.Where(e => e.Corrects is not null).Select(e => e.Corrects!.Value).ToHashSet();
        Table(s, ["#", t.Kind, t.Fields, t.SignedBy, t.At, t.Hash], b.Entries.Select(e => new[]
        {
            e.Id.ToString(CultureInfo.InvariantCulture) + (corrected.Contains(e.Id) ? $" ({t.Corrected})" : "")
                + (e.Corrects is { } c ? $" → {t.Corrects} #{c.ToString(CultureInfo.InvariantCulture)}" : ""),
            t.KindName(e.Kind),
            string.Join("; ", e.Fields.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key}={f.Value}")),
            $"{e.Actor} ({e.Role})", When(e.At), e.Hash[..16],
        }));
        s.Append("</section><section><h2>").Append(E(t.Timeline)).Append("</h2>");
        Table(s, [t.At, t.Kind, t.Detail], b.Timeline.Select(i => new[] { When(i.At), i.Kind, i.Detail }));
        s.Append("</section><section class=\"layers\"><h2>").Append(E(t.PerLayer)).Append("</h2>");
        LayerTable(s, b.Layers, t, When);
        s.Append("</section><footer>").Append(E(string.Format(CultureInfo.InvariantCulture, t.Footer, export.Format, When(export.Exported), export.ExportedBy)))
            .Append("</footer></body></html>");
        return s.ToString();
    }

    private static void LayerTable(StringBuilder s, IReadOnlyList<BuildLayer> layers, BuildReportText t, Func<Instant?, string> when)
    {
        var signals = layers.SelectMany(l => l.Signals).Select(x => (x.Signal, x.Unit)).Distinct().OrderBy(x => x.Signal, StringComparer.Ordinal).ToList();
        s.Append("<table class=\"grid\"><thead><tr><th>").Append(E(t.Layer)).Append("</th><th>").Append(E(t.Started)).Append("</th>");
        foreach (var (signal, unit) in signals) s.Append("<th>").Append(E(signal)).Append(unit is null ? "" : $" [{E(unit)}]").Append("<br>min / max / mean</th>");
        s.Append("</tr></thead><tbody>");
        foreach (var layer in layers)
        {
            var excursion = layer.Signals.Any(x => x.IsExcursion);
            s.Append(excursion ? "<tr class=\"bad\">" : "<tr>").Append("<td>").Append(layer.Layer.ToString(CultureInfo.InvariantCulture)).Append("</td><td>")
                .Append(E(when(layer.Started))).Append("</td>");
            foreach (var (signal, _) in signals)
            {
                var x = layer.Signals.FirstOrDefault(v => v.Signal == signal);
                s.Append(x?.IsExcursion == true ? "<td class=\"out\">" : "<td>");
                if (x is not null) s.Append(E(string.Create(CultureInfo.InvariantCulture, $"{x.Min:0.#} / {x.Max:0.#} / {x.Mean:0.#}")));
                if (x?.IsExcursion == true) s.Append(" ⚠ ").Append(x.Outside.ToString(CultureInfo.InvariantCulture));
                s.Append("</td>");
            }

            s.Append("</tr>");
        }

        s.Append("</tbody></table>");
    }

    private static void Row(StringBuilder s, string label, string value, string? cssClass = null) =>
        s.Append("<div class=\"row\"><span class=\"k\">").Append(E(label)).Append("</span><span class=\"v").Append(cssClass is null ? "" : " " + cssClass)
            .Append("\">").Append(E(value)).Append("</span></div>");

    private static void Table(StringBuilder s, string[] headers, IEnumerable<string[]> rows)
    {
        s.Append("<table class=\"grid\"><thead><tr>");
        foreach (var h in headers) s.Append("<th>").Append(E(h)).Append("</th>");
        s.Append("</tr></thead><tbody>");
        foreach (var row in rows)
        {
            s.Append("<tr>");
            foreach (var cell in row) s.Append("<td>").Append(E(cell)).Append("</td>");
            s.Append("</tr>");
        }

        s.Append("</tbody></table>");
    }

    private static string E(string text) => Html.Encode(text);

    private const string Css = """
        @page { size: A4; margin: 14mm 12mm; }
        body { font: 10pt/1.4 "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif; color: #111; margin: 0 auto; max-width: 190mm; }
        header { display: flex; justify-content: space-between; align-items: baseline; border-bottom: 2px solid #111; }
        h1 { font-size: 16pt; margin: 0 0 4px; } h2 { font-size: 12pt; margin: 14px 0 6px; border-bottom: 1px solid #999; }
        .batch { font: bold 14pt monospace; margin: 0; }
        .row { display: flex; gap: 8px; } .k { min-width: 44mm; color: #444; } .hash { font: 8pt monospace; word-break: break-all; }
        .seal { padding: 4px 8px; border: 2px solid #999; margin-top: 10px; } .seal.ok { border-color: #1a7f37; } .seal.broken { border-color: #c00; background: #fee; }
        table.grid { border-collapse: collapse; width: 100%; font-size: 8.5pt; } table.grid th, table.grid td { border: 1px solid #bbb; padding: 2px 4px; vertical-align: top; }
        thead { display: table-header-group; } tr { page-break-inside: avoid; }
        tr.bad td { background: #fff4e5; } td.out, .v.bad { color: #c00; font-weight: bold; }
        footer { margin-top: 16px; font-size: 8pt; color: #555; border-top: 1px solid #999; }
        """;
}
