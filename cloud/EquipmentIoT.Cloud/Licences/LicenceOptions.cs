using System.ComponentModel.DataAnnotations;

namespace EquipmentIoT.Cloud.Licences;

/// <summary>Section "Licences": when the daily reminder job runs, in which zone and language, and the texts a site may edit.</summary>
public sealed class LicenceOptions
{
    public const string Section = "Licences";

    /// <summary>
    /// The IANA zone of the daily run, and of "today" for licences whose site is unknown or has no valid zone (a
    /// licence with a site uses the site's zone).
    /// </summary>
    [Required]
    public string TimeZone { get; set; } = "Asia/Shanghai";

    /// <summary>The local time of the daily run in <see cref="TimeZone"/> ("08:30").</summary>
    [Range(typeof(TimeSpan), "00:00:00", "23:59:00")]
    public TimeSpan DailyAt { get; set; } = new(8, 30, 0);

    /// <summary>The language of the reminders and reports: "zh" (Simplified Chinese) or "en".</summary>
    [Required]
    [RegularExpression("^(zh|en)$")]
    public string Language { get; set; } = "zh";

    /// <summary>Days between red reminders while a licence stays overdue.</summary>
    [Range(1, 365)]
    public int EscalationDays { get; set; } = 7;

    /// <summary>
    /// Texts a site edits: <c>Licences:Templates:{band}:{language}</c>, band one of blue, yellow, orange, red,
    /// escalation. Placeholders: see <see cref="LicenceTexts.Placeholders"/>. Missing ones fall back to the
    /// embedded defaults.
    /// </summary>
    public Dictionary<string, Dictionary<string, string>> Templates { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
