using Microsoft.Extensions.Options;
using NodaTime;

namespace EquipmentIoT.Cloud.Licences;

/// <summary>Checks at start what annotations cannot: the zone exists (for NodaTime and for Quartz's cron), and each template is one we know.</summary>
internal sealed class LicenceOptionsValidator : IValidateOptions<LicenceOptions>
{
    public ValidateOptionsResult Validate(string? name, LicenceOptions options)
    {
        var failures = new List<string>();
        if (DateTimeZoneProviders.Tzdb.GetZoneOrNull(options.TimeZone) is null || !TimeZoneInfo.TryFindSystemTimeZoneById(options.TimeZone, out _))
            failures.Add($"Licences:TimeZone '{options.TimeZone}' is not an IANA time zone (e.g. Asia/Shanghai)");
        if (options.DailyAt.Seconds != 0 || options.DailyAt.Milliseconds != 0)
            failures.Add($"Licences:DailyAt '{options.DailyAt}' must be whole minutes (08:30)");
        foreach (var (template, texts) in options.Templates)
        {
            if (!LicenceTexts.TemplateNames.Contains(template, StringComparer.OrdinalIgnoreCase))
            {
                failures.Add($"Licences:Templates:{template}: not a template (one of {string.Join(", ", LicenceTexts.TemplateNames)})");
                continue;
            }

            foreach (var (language, text) in texts)
            {
                if (!LicenceTexts.Languages.Contains(language, StringComparer.OrdinalIgnoreCase))
                    failures.Add($"Licences:Templates:{template}:{language}: not a language (zh or en)");
                foreach (var unknown in LicenceTexts.UnknownPlaceholders(text ?? ""))
                    failures.Add($"Licences:Templates:{template}:{language}: unknown placeholder {{{unknown}}} (known: {string.Join(", ", LicenceTexts.Placeholders.Keys.Select(k => $"{{{k}}}"))})");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
