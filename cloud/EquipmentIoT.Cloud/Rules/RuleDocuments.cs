using System.Reflection;
using EquipmentIoT.Cloud.Rules.Parsing;
using Microsoft.Extensions.Configuration;

namespace EquipmentIoT.Cloud.Rules;

/// <summary>
/// Where rules come from: the shipped defaults (embedded <c>DefaultRules.yaml</c>), rule files a site edits (YAML, or JSON by
/// the <c>.json</c> extension), the configuration section <c>Rules:Definitions</c>, and the rules table (API). Each returns a
/// <see cref="RuleReadResult"/>: good rules and one line per error; nothing here throws for bad input.
/// </summary>
public static class RuleDocuments
{
    /// <summary>The embedded resource name of the shipped rules.</summary>
    public const string DefaultsResource = "EquipmentIoT.Cloud.Rules.DefaultRules.yaml";

    /// <summary>Reads a YAML rules document; <paramref name="source"/> names it in errors.</summary>
    public static RuleReadResult ParseYaml(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var root = RuleNodeReaders.FromYaml(text, source, out var error);
        return root is null ? Failed(error!) : RuleReader.Read(root);
    }

    /// <summary>Reads a JSON rules document (the same shape as YAML: a list, or an object with "rules").</summary>
    public static RuleReadResult ParseJson(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var root = RuleNodeReaders.FromJson(text, source, out var error);
        return root is null ? Failed(error!) : RuleReader.Read(root);
    }

    /// <summary>Reads a rules file: JSON when it ends in .json, YAML otherwise; a missing or unreadable file is an error in the result.</summary>
    public static RuleReadResult ParseFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return Failed($"{path}: cannot read the rules file: {e.Message}");
        }

        return path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? ParseJson(text, path) : ParseYaml(text, path);
    }

    /// <summary>Reads rules written as configuration keys (<c>Rules:Definitions:0:id</c>, …); an absent section has none.</summary>
    public static RuleReadResult FromConfiguration(IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        return section.Exists() ? RuleReader.Read(RuleNodeReaders.FromConfiguration(section)) : new RuleReadResult([], []);
    }

    /// <summary>The shipped rules for the CT, MR and AM printer profiles.</summary>
    public static RuleReadResult Defaults() => ParseYaml(DefaultsText(), "DefaultRules.yaml");

    /// <summary>The text of the shipped rules.</summary>
    public static string DefaultsText()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(DefaultsResource)
            ?? throw new InvalidOperationException($"the embedded resource {DefaultsResource} is missing from the build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// Layers rule sets: a rule in a later layer replaces the rule with the same id from an earlier one (a site's file overrides a
    /// shipped rule; <c>enabled: false</c> turns it off). The order of first appearance is kept.
    /// </summary>
    public static IReadOnlyList<RuleDefinition> Merge(params IEnumerable<IEnumerable<RuleDefinition>> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        var order = new List<string>();
        var byId = new Dictionary<string, RuleDefinition>(StringComparer.Ordinal);
        foreach (var layer in layers)
        {
            foreach (var rule in layer)
            {
                if (!byId.ContainsKey(rule.Id)) order.Add(rule.Id);
                byId[rule.Id] = rule;
            }
        }

        return [.. order.Select(id => byId[id])];
    }

    private static RuleReadResult Failed(string error) => new([], [error]);
}
