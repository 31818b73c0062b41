using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace EquipmentIoT.Cloud.Rules;

/// <summary>
/// Section "Rules": which rules apply (the shipped defaults, rule files, and rules written under <c>Rules:Definitions</c>), and how
/// often the engine ticks, saves its state and rereads device classes from the registry.
/// </summary>
public sealed class RulesOptions
{
    /// <summary>The configuration section name.</summary>
    public const string Section = "Rules";

    /// <summary>The key (under <see cref="Section"/>) of rules written in configuration.</summary>
    public const string DefinitionsKey = "Definitions";

    /// <summary>Whether the shipped rules (DefaultRules.yaml) apply; a site's rule with the same id replaces one either way.</summary>
    public bool IncludeDefaults { get; set; } = true;

    /// <summary>Rule files (YAML, or JSON by the .json extension), applied in order after the defaults.</summary>
    public IList<string> Files { get; } = [];

    /// <summary>How often time-driven rules (silence, delays) and alarms (escalation, shelves, flapping) are looked at.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan TickInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the engine's state is saved (and at shutdown): what a crash can lose of pending delays and windows.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan SnapshotInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often device classes and sites are reread from the registry (asset records change).</summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan DeviceRefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a reading is taken to hold when a tick completes a delay that rests on it.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan MaxReadingAge { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>Validates the data annotations of <see cref="RulesOptions"/> at start (source-generated).</summary>
[OptionsValidator]
public sealed partial class RulesOptionsValidator : IValidateOptions<RulesOptions>
{
}

/// <summary>
/// Reads the configured rules at start (defaults, files, <c>Rules:Definitions</c>): a rule with an error stops the service with every
/// error listed (file or key, rule id, field), as a bad device profile stops the agent.
/// </summary>
public sealed class RulesOptionsRules(IConfiguration configuration) : IValidateOptions<RulesOptions>
{
    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, RulesOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var read = RuleSources.ReadConfigured(options, configuration);
        return read.Success ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(read.Errors);
    }
}
