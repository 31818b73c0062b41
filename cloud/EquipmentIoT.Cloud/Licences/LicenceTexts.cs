using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Text;

namespace EquipmentIoT.Cloud.Licences;

/// <summary>
/// The reminder texts: embedded defaults in Simplified Chinese and English, each replaceable by a site through
/// <c>Licences:Templates:{template}:{language}</c>. Templates are blue, yellow, orange, red (entering a band) and
/// escalation (the weekly red repeat).
/// </summary>
public sealed partial class LicenceTexts
{
    /// <summary>The template names.</summary>
    public static readonly IReadOnlyList<string> TemplateNames = ["blue", "yellow", "orange", "red", "escalation"];

    /// <summary>The languages with embedded texts.</summary>
    public static readonly IReadOnlyList<string> Languages = ["zh", "en"];

    /// <summary>What a template may contain, and what each stands for.</summary>
    public static readonly IReadOnlyDictionary<string, string> Placeholders = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["licence"] = "the licence number",
        ["equipment"] = "the equipment type (PET/CT, 1.5T MR)",
        ["holder"] = "the holder (hospital)",
        ["region"] = "the region",
        ["category"] = "甲类/乙类 (zh) or Class A/Class B (en)",
        ["deadline"] = "the deadline, uuuu-MM-dd",
        ["days"] = "days left to the deadline; once overdue, days past it",
        ["escalation"] = "the number of the red repeat (1, 2, …)",
        ["manager"] = "the recipient's name",
    };

    private static readonly Dictionary<(string Template, string Language), string> Defaults = new()
    {
        [("blue", "zh")] = "【配置许可证提醒·蓝色】许可证 {licence}（{equipment}，{holder}）将于 {deadline} 到期，剩余 {days} 天，请按计划推进采购。",
        [("yellow", "zh")] = "【配置许可证提醒·黄色】许可证 {licence}（{equipment}，{holder}）将于 {deadline} 到期，剩余 {days} 天，请尽快完成采购。",
        [("orange", "zh")] = "【配置许可证提醒·橙色】许可证 {licence}（{equipment}，{holder}）将于 {deadline} 到期，仅剩 {days} 天，请立即完成采购和装机。",
        [("red", "zh")] = "【配置许可证提醒·红色】许可证 {licence}（{equipment}，{holder}）已于 {deadline} 到期，已逾期 {days} 天，请立即处理。",
        [("escalation", "zh")] = "【配置许可证提醒·红色·第{escalation}次催办】许可证 {licence}（{equipment}，{holder}）已于 {deadline} 到期，已逾期 {days} 天，仍未完成装机，请立即处理。",
        [("blue", "en")] = "[Licence reminder · BLUE] Licence {licence} ({equipment}, {holder}) expires on {deadline}, {days} days left: keep the purchase on schedule.",
        [("yellow", "en")] = "[Licence reminder · YELLOW] Licence {licence} ({equipment}, {holder}) expires on {deadline}, {days} days left: complete the purchase soon.",
        [("orange", "en")] = "[Licence reminder · ORANGE] Licence {licence} ({equipment}, {holder}) expires on {deadline}, only {days} days left: complete the purchase and installation now.",
        [("red", "en")] = "[Licence reminder · RED] Licence {licence} ({equipment}, {holder}) expired on {deadline}, {days} days overdue: act now.",
        [("escalation", "en")] = "[Licence reminder · RED · reminder {escalation}] Licence {licence} ({equipment}, {holder}) expired on {deadline}, {days} days overdue and still not installed: act now.",
    };

    private readonly LicenceOptions _options;

    public LicenceTexts(IOptions<LicenceOptions> options) => _options = options?.Value ?? throw new ArgumentNullException(nameof(options));

    /// <summary>The configured language.</summary>
    public string Language => _options.Language;

    /// <summary>The reminder for one recipient of one decision.</summary>
    public string Render(Licence licence, LicenceBand band, int escalation, LocalDate today, LicenceManager? recipient)
    {
        ArgumentNullException.ThrowIfNull(licence);
        var template = escalation > 0 ? "escalation" : Name(band);
        var days = LicenceBands.DaysLeft(licence.Deadline, today);
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["licence"] = licence.Number,
            ["equipment"] = licence.EquipmentType,
            ["holder"] = licence.Holder,
            ["region"] = licence.Region,
            ["category"] = CategoryText(licence.Category, Language),
            ["deadline"] = LocalDatePattern.Iso.Format(licence.Deadline),
            ["days"] = Math.Abs(days).ToString(CultureInfo.InvariantCulture),
            ["escalation"] = escalation.ToString(CultureInfo.InvariantCulture),
            ["manager"] = recipient?.Name ?? "",
        };
        return Placeholder().Replace(TemplateOf(template, Language), m => values.TryGetValue(m.Groups[1].Value, out var v) ? v : m.Value);
    }

    /// <summary>The template in force: the site's (<see cref="LicenceOptions.Templates"/>) or the embedded one.</summary>
    public string TemplateOf(string template, string language) =>
        Configured(_options, template, language) ?? Defaults[(template, language)];

    /// <summary>甲类/乙类 or Class A/Class B.</summary>
    public static string CategoryText(LicenceCategory category, string language) => (category, language) switch
    {
        (LicenceCategory.ClassA, "zh") => "甲类",
        (LicenceCategory.ClassB, "zh") => "乙类",
        (LicenceCategory.ClassA, _) => "Class A",
        _ => "Class B",
    };

    /// <summary>The placeholders a template names that <see cref="Placeholders"/> does not know.</summary>
    public static IEnumerable<string> UnknownPlaceholders(string template) =>
        Placeholder().Matches(template).Select(m => m.Groups[1].Value).Where(p => !Placeholders.ContainsKey(p)).Distinct();

    /// <summary>The template name of a band ("blue").</summary>
    public static string Name(LicenceBand band) => band.ToString().ToLowerInvariant();

    private static string? Configured(LicenceOptions options, string template, string language)
    {
        foreach (var (name, texts) in options.Templates)
        {
            if (!string.Equals(name, template, StringComparison.OrdinalIgnoreCase)) continue;
            foreach (var (lang, text) in texts)
            {
                if (string.Equals(lang, language, StringComparison.OrdinalIgnoreCase) && !string.IsNullOrWhiteSpace(text)) return text;
            }
        }

        return null;
    }

    [GeneratedRegex(@"\{([a-zA-Z]+)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();
}
