using System.ComponentModel.DataAnnotations;
using EquipmentIoT.Cloud.Rules.Parsing;
using Microsoft.Extensions.Options;
using NodaTime;

namespace EquipmentIoT.Cloud.Alarms;

/// <summary>Section "Alarms": flap detection, the longest shelf, and escalation delays per severity ("15m, 1h": level 1 after 15 minutes, level 2 after an hour).</summary>
public sealed class AlarmOptions
{
    /// <summary>The configuration section name.</summary>
    public const string Section = "Alarms";

    /// <summary>Raises and clears within <see cref="FlapWindow"/> that make an alarm flapping.</summary>
    [Range(2, 1000)]
    public int FlapToggles { get; set; } = 6;

    /// <summary>The flap window; a flapping alarm ends when stable this long.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan FlapWindow { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>The longest an alarm can be shelved.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "90.00:00:00")]
    public TimeSpan MaxShelve { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Escalation delays of critical alarms after their raise, comma-separated.</summary>
    public string EscalateCritical { get; set; } = "15m, 1h";

    /// <summary>Escalation delays of major alarms.</summary>
    public string EscalateMajor { get; set; } = "1h, 4h";

    /// <summary>Escalation delays of minor alarms.</summary>
    public string EscalateMinor { get; set; } = "8h";

    /// <summary>Escalation delays of warnings (none by default).</summary>
    public string EscalateWarning { get; set; } = "";

    /// <summary>The policy these settings make; null with the errors when an escalation list cannot be read.</summary>
    public AlarmPolicy? ToPolicy(out IReadOnlyList<string> errors)
    {
        var problems = new List<string>();
        var escalation = new Dictionary<AlarmSeverity, IReadOnlyList<Duration>>
        {
            [AlarmSeverity.Critical] = Delays(nameof(EscalateCritical), EscalateCritical, problems),
            [AlarmSeverity.Major] = Delays(nameof(EscalateMajor), EscalateMajor, problems),
            [AlarmSeverity.Minor] = Delays(nameof(EscalateMinor), EscalateMinor, problems),
            [AlarmSeverity.Warning] = Delays(nameof(EscalateWarning), EscalateWarning, problems),
        };
        errors = problems;
        return problems.Count > 0 ? null
            : new AlarmPolicy(FlapToggles, Duration.FromTimeSpan(FlapWindow), Duration.FromTimeSpan(MaxShelve), escalation);
    }

    private static List<Duration> Delays(string key, string? text, List<string> problems)
    {
        var delays = new List<Duration>();
        foreach (var part in (text ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!DurationText.TryParse(part, out var d) || d <= Duration.Zero) problems.Add($"{Section}:{key}: '{part}' is not {DurationText.Forms}");
            else if (delays.Count > 0 && d <= delays[^1]) problems.Add($"{Section}:{key}: delays must grow ('{part}' is not after the one before)");
            else delays.Add(d);
        }

        return delays;
    }
}

/// <summary>Validates the data annotations of <see cref="AlarmOptions"/> at start (source-generated).</summary>
[OptionsValidator]
public sealed partial class AlarmOptionsValidator : IValidateOptions<AlarmOptions>
{
}

/// <summary>Validates the escalation lists of <see cref="AlarmOptions"/> at start, naming the key.</summary>
public sealed class AlarmOptionsRules : IValidateOptions<AlarmOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, AlarmOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.ToPolicy(out var errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
