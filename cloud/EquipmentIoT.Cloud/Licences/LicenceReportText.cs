using System.Globalization;
using System.Text;
using NodaTime.Text;

namespace EquipmentIoT.Cloud.Licences;

/// <summary>
/// A <see cref="LicenceReport"/> as a CSV table (RFC 4180: CRLF lines, fields with a comma, quote or line break
/// quoted), headers in Chinese by default. It starts with a UTF-8 byte order mark because Excel on a Chinese Windows
/// reads a CSV without one as GBK and shows the headers as mojibake.
/// </summary>
public static class LicenceReportText
{
    private static readonly string[] HeadersZh = ["地区", "类别", "在用", "未预警", "蓝色", "黄色", "橙色", "红色", "期内到期", "期内逾期", "期内装机", "期内注销"];
    private static readonly string[] HeadersEn = ["Region", "Category", "Active", "None", "Blue", "Yellow", "Orange", "Red", "Expiring", "Overdue", "Fulfilled", "Revoked"];

    /// <summary>The report's rows and a total line; <paramref name="language"/> "zh" or "en".</summary>
    public static string Csv(LicenceReport report, string language)
    {
        ArgumentNullException.ThrowIfNull(report);
        var zh = language != "en";
        var csv = new StringBuilder("\uFEFF");
        Line(csv, zh ? HeadersZh : HeadersEn);
        foreach (var row in report.Rows)
            Line(csv, [row.Region, LicenceTexts.CategoryText(row.Category, zh ? "zh" : "en"), .. Numbers(row.Counts)]);
        Line(csv, [zh ? "合计" : "Total", "", .. Numbers(report.Totals)]);
        return csv.ToString();
    }

    /// <summary>A file name for the report: <c>licences-2028-03.csv</c>, <c>licences-2028.csv</c>.</summary>
    public static string FileName(LicenceReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var pattern = report.Period == ReportPeriod.Year ? "uuuu" : "uuuu'-'MM";
        return $"licences-{LocalDatePattern.CreateWithInvariantCulture(pattern).Format(report.From)}.csv";
    }

    private static IEnumerable<string> Numbers(LicenceCounts counts) => counts.Columns().Select(v => v.ToString(CultureInfo.InvariantCulture));

    private static void Line(StringBuilder csv, string[] fields)
    {
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0) csv.Append(',');
            var field = fields[i];
            if (field.AsSpan().IndexOfAny(",\"\r\n") >= 0) csv.Append('"').Append(field.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            else csv.Append(field);
        }

        csv.Append("\r\n");
    }
}
