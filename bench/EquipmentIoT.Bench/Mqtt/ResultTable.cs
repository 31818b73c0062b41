using System.Globalization;
using System.Text;

namespace EquipmentIoT.Bench.Mqtt;

/// <summary>Prints the runs as one row per QoS and publisher, with the targets checked for ours.</summary>
internal static class ResultTable
{
    public const double ThroughputTarget = 0.9;
    public const double AllocationTarget = 50;
    public const double RssTargetMegabytes = 32;

    private static readonly string[] Header =
        ["qos", "publisher", "delivered msg/s: median (min-max)", "ours/pub", "lost (max)", "alloc B/msg", "peak RSS MB (max)", "own msg/s", ">=0.9x pub", "<=50 B/msg", "<=32 MB"];

    public static void Print(TextWriter writer, IReadOnlyList<RunResult> results)
    {
        var rows = new List<string[]> { Header };
        foreach (var group in results.GroupBy(r => (r.Qos, r.Publisher.Label)))
        {
            rows.Add(Row(group.ToList(), results));
        }

        var widths = Enumerable.Range(0, Header.Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        foreach (var (row, index) in rows.Select((r, i) => (r, i)))
        {
            writer.WriteLine(string.Join(" | ", row.Select((cell, c) => c is 0 or 1 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))));
            if (index == 0) writer.WriteLine(string.Join("-|-", widths.Select(w => new string('-', w))));
        }

        foreach (var failed in results.Where(r => r.Failure is not null))
        {
            writer.WriteLine(Text($"FAILED run: qos {failed.Qos} {failed.Publisher.Label}: {failed.Failure}"));
        }
    }

    private static string[] Row(List<RunResult> runs, IReadOnlyList<RunResult> all)
    {
        var first = runs[0];
        var rates = runs.Select(r => r.DeliveredPerSecond).ToList();
        var median = Median(rates);
        var reference = all.Where(r => r.Qos == first.Qos && r.Publisher.IsReference).Select(r => r.DeliveredPerSecond).ToList();
        var ratio = reference.Count > 0 && Median(reference) > 0 ? median / Median(reference) : double.NaN;
        var alloc = Median(runs.Select(r => r.Stats?.AllocatedBytesPerMessage ?? double.NaN).ToList());
        var rss = runs.Max(r => r.PeakRssMegabytes);
        var own = Median(runs.Select(r => r.Stats?.MessagesPerSecond ?? double.NaN).ToList());
        var failures = runs.Count(r => r.Failure is not null);
        var reference0 = first.Publisher.IsReference;
        return
        [
            Text($"{first.Qos}"),
            first.Publisher.Label + (failures > 0 ? Text($" ({failures} FAILED)") : ""),
            Text($"{median:N0} ({rates.Min():N0}-{rates.Max():N0})"),
            reference0 ? "ref" : Text($"{ratio:0.00}x"),
            Text($"{runs.Max(r => r.Lost):N0}"),
            double.IsNaN(alloc) ? "n/a" : Text($"{alloc:0.0}"),
            Text($"{rss:0.0}"),
            double.IsNaN(own) ? "n/a" : Text($"{own:N0}"),
            reference0 ? "" : Verdict(ratio >= ThroughputTarget),
            reference0 ? "" : Verdict(alloc <= AllocationTarget),
            reference0 ? "" : Verdict(rss <= RssTargetMegabytes),
        ];
    }

    private static string Verdict(bool pass) => pass ? "PASS" : "FAIL";

    /// <summary>The median of the numbers that are not NaN; NaN if there are none.</summary>
    private static double Median(List<double> values)
    {
        var v = values.Where(x => !double.IsNaN(x)).Order().ToList();
        if (v.Count == 0) return double.NaN;
        return v.Count % 2 == 1 ? v[v.Count / 2] : (v[(v.Count / 2) - 1] + v[v.Count / 2]) / 2;
    }

    private static string Text(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
