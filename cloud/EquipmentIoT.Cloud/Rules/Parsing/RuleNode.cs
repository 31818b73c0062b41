namespace EquipmentIoT.Cloud.Rules.Parsing;

/// <summary>
/// A rule document as a tree, whatever it was written in (YAML, JSON, configuration keys), with where each node
/// came from ("site-rules.yaml:14", "$.rules[2].threshold", "Rules:Definitions:2:threshold") so that an error can point at it.
/// </summary>
internal abstract record RuleNode(string Location);

/// <summary>A mapping; keys compare case-insensitively (configuration keys do).</summary>
internal sealed record RuleMapNode(string Location, IReadOnlyList<KeyValuePair<string, RuleNode>> Entries) : RuleNode(Location)
{
    public RuleNode? Get(string key)
    {
        foreach (var (k, v) in Entries)
        {
            if (string.Equals(k, key, StringComparison.OrdinalIgnoreCase)) return v;
        }

        return null;
    }
}

/// <summary>A sequence.</summary>
internal sealed record RuleListNode(string Location, IReadOnlyList<RuleNode> Items) : RuleNode(Location);

/// <summary>A scalar as text; null for YAML <c>~</c>/<c>null</c> and JSON null.</summary>
internal sealed record RuleScalarNode(string Location, string? Text) : RuleNode(Location);
