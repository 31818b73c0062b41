using System.Globalization;

namespace EquipmentIoT.Bench.CloudIngest;

/// <summary>Output of the cloud benchmarks: invariant culture, one figure per line.</summary>
internal static class CloudBenchText
{
    public static void Print(FormattableString line) => Console.WriteLine(line.ToString(CultureInfo.InvariantCulture));

    /// <summary>"label   12.345 s =    810 batches/s =    405,000 points/s   target …".</summary>
    public static void Rate(string label, double seconds, long batches, long points, double? targetPointsPerSecond = null)
    {
        var pointsPerSecond = points / seconds;
        var verdict = targetPointsPerSecond is { } target ? "   " + Verdict.AtLeast(pointsPerSecond, target, "points/s") : "";
        Print($"{label,-52} {seconds,8:0.000} s = {batches / seconds,8:N0} batches/s = {pointsPerSecond,10:N0} points/s{verdict}");
    }

    /// <summary>"label: PASS (detail)" or FAIL.</summary>
    public static bool Check(string label, bool pass, string detail)
    {
        Print($"  {label,-50} {(pass ? "PASS" : "FAIL")} ({detail})");
        return pass;
    }

    public static string Megabytes(long bytes) => (bytes / 1_048_576.0).ToString("N1", CultureInfo.InvariantCulture) + " MiB";
}
