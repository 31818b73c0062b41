using System.ComponentModel.DataAnnotations;
using EquipmentIoT.Cloud.Alarms;
using Microsoft.Extensions.Options;

namespace EquipmentIoT.Cloud.Maintenance;

/// <summary>
/// Section "Maintenance": how often due work is computed, which alarms open repair work orders, and how laser time is measured.
/// </summary>
public sealed class MaintenanceOptions
{
    /// <summary>The configuration section name.</summary>
    public const string Section = "Maintenance";

    /// <summary>How often the due job runs (plans, calibration items, overdue notices).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan DueInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Rule ids whose alarms open a repair work order when raised: an exact id ("mr.helium.compressor_off"), or a prefix ending in *
    /// ("mr.helium.*"); "*" alone takes every device rule. Empty: alarms open no work orders.
    /// </summary>
    public IList<string> RepairRules { get; } = [];

    /// <summary>Roles of the contacts (AlarmNotifications:Contacts) told of reminders, new and overdue work orders; none given: engineer.</summary>
    public IList<string> NotifyRoles { get; } = [];

    /// <summary>The roles notices go to.</summary>
    public IReadOnlyCollection<string> RolesToNotify() => NotifyRoles.Count == 0 ? ["engineer"] : [.. NotifyRoles];

    /// <summary>Laser power (in the metric's unit, W) above which a minute counts as laser-on time for laser-hours plans.</summary>
    [Range(0.0, 1_000_000.0)]
    public double LaserOnThreshold { get; set; } = 1.0;

    /// <summary>Whether a raised alarm of <paramref name="ruleId"/> opens a repair work order.</summary>
    public bool IsRepairRule(string ruleId)
    {
        ArgumentNullException.ThrowIfNull(ruleId);
        foreach (var pattern in RepairRules)
        {
            if (pattern.EndsWith('*') ? ruleId.StartsWith(pattern[..^1], StringComparison.Ordinal) : string.Equals(pattern, ruleId, StringComparison.Ordinal))
                return true;
        }
        return false;
    }

    /// <summary>The priority of a repair opened by an alarm of this severity.</summary>
    public static WorkOrderPriority PriorityOf(AlarmSeverity severity) => severity switch
    {
        AlarmSeverity.Critical => WorkOrderPriority.Urgent,
        AlarmSeverity.Major => WorkOrderPriority.High,
        AlarmSeverity.Minor => WorkOrderPriority.Normal,
        _ => WorkOrderPriority.Low,
    };

    /// <summary>How many days after opening a repair of this priority is due (0: the same local day).</summary>
    public static int RepairDueDays(WorkOrderPriority priority) => priority switch
    {
        WorkOrderPriority.Urgent => 0,
        WorkOrderPriority.High => 1,
        WorkOrderPriority.Normal => 7,
        _ => 30,
    };
}

/// <summary>Validates the data annotations of <see cref="MaintenanceOptions"/> at start (source-generated).</summary>
[OptionsValidator]
public sealed partial class MaintenanceOptionsValidator : IValidateOptions<MaintenanceOptions>
{
}

/// <summary>Checks the repair rule patterns: rule id characters, a * only at the end.</summary>
public sealed class MaintenanceOptionsRules : IValidateOptions<MaintenanceOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, MaintenanceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        for (var i = 0; i < options.RepairRules.Count; i++)
        {
            var pattern = options.RepairRules[i];
            var id = pattern.EndsWith('*') ? pattern[..^1] : pattern;
            if (id.Length > 64 || (id.Length == 0 && pattern != "*") || id.Any(ch => !(char.IsAsciiLetterOrDigit(ch) || ch is '.' or '_' or '-')))
                failures.Add($"Maintenance:RepairRules:{i}: '{pattern}' is not a rule id (1–64 of A-Z a-z 0-9 . _ -), optionally ending in *");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
