using EquipmentIoT.Cloud.Rules.Parsing;
using Microsoft.Extensions.Configuration;

namespace EquipmentIoT.Cloud.Rules;

/// <summary>The configured rules, layered: shipped defaults, then files in order, then <c>Rules:Definitions</c>, then the rules table.</summary>
public static class RuleSources
{
    /// <summary>Defaults, files and configuration, merged; with every error of every source.</summary>
    public static RuleReadResult ReadConfigured(RulesOptions options, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(configuration);
        var layers = new List<RuleReadResult>();
        if (options.IncludeDefaults) layers.Add(RuleDocuments.Defaults());
        layers.AddRange(options.Files.Select(RuleDocuments.ParseFile));
        layers.Add(RuleDocuments.FromConfiguration(configuration.GetSection($"{RulesOptions.Section}:{RulesOptions.DefinitionsKey}")));
        return new RuleReadResult(RuleDocuments.Merge(layers.Select(l => l.Rules)), [.. layers.SelectMany(l => l.Errors)]);
    }

    /// <summary>The configured rules with the stored ones on top.</summary>
    public static RuleReadResult WithStored(RuleReadResult configured, RuleReadResult stored)
    {
        ArgumentNullException.ThrowIfNull(configured);
        ArgumentNullException.ThrowIfNull(stored);
        return new RuleReadResult(RuleDocuments.Merge(configured.Rules, stored.Rules), [.. configured.Errors, .. stored.Errors]);
    }
}
