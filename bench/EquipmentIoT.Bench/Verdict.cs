using System.Globalization;

namespace EquipmentIoT.Bench;

/// <summary>One figure against the issue's target, printed as "target >= 150,000 points/s: PASS".</summary>
internal static class Verdict
{
    /// <summary>"target >= 150,000 points/s: PASS".</summary>
    public static string AtLeast(double value, double target, string unit) =>
        string.Create(CultureInfo.InvariantCulture, $"target >= {target:N0} {unit}: {(value >= target ? "PASS" : "FAIL")}");

    /// <summary>"target &lt;= 40 MB: FAIL".</summary>
    public static string AtMost(double value, double target, string unit) =>
        string.Create(CultureInfo.InvariantCulture, $"target <= {target:0.##} {unit}: {(value <= target ? "PASS" : "FAIL")}");
}
