using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace EquipmentIoT.Cloud.Rules.Parsing;

/// <summary>Turns YAML text, JSON text or a configuration section into a <see cref="RuleNode"/> tree; syntax errors come back as text.</summary>
internal static class RuleNodeReaders
{
    /// <summary>Reads YAML (one document). <paramref name="source"/> names the file in locations.</summary>
    public static RuleNode? FromYaml(string text, string source, out string? error)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            error = $"{source}:{e.Start.Line}: not valid YAML: {e.Message}";
            return null;
        }
        catch (ArgumentException e)
        {
            // YamlDotNet reports a key given twice in one mapping this way.
            error = $"{source}: not valid YAML: {e.Message}";
            return null;
        }

        error = null;
        return stream.Documents.Count == 0 ? new RuleListNode(source, []) : Convert(stream.Documents[0].RootNode, source);
    }

    /// <summary>Reads JSON; locations are JSON paths after <paramref name="source"/>.</summary>
    public static RuleNode? FromJson(string text, string source, out string? error)
    {
        try
        {
            using var document = JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip, MaxDepth = 32 });
            error = null;
            return Convert(document.RootElement, source, "$");
        }
        catch (JsonException e)
        {
            error = $"{source}:{(e.LineNumber ?? 0) + 1}: not valid JSON: {e.Message}";
            return null;
        }
    }

    /// <summary>Reads a configuration section: children numbered 0, 1, 2, … form a list, others a mapping.</summary>
    public static RuleNode FromConfiguration(IConfigurationSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        var children = section.GetChildren().ToList();
        if (children.Count == 0) return new RuleScalarNode(section.Path, section.Value);
        var indexed = children
            .Select(c => (Child: c, Index: int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : -1))
            .ToList();
        if (indexed.All(x => x.Index >= 0))
            return new RuleListNode(section.Path, [.. indexed.OrderBy(x => x.Index).Select(x => FromConfiguration(x.Child))]);
        return new RuleMapNode(section.Path, [.. children.Select(c => new KeyValuePair<string, RuleNode>(c.Key, FromConfiguration(c)))]);
    }

    private static RuleNode Convert(YamlNode node, string source)
    {
        var location = $"{source}:{node.Start.Line}";
        return node switch
        {
            YamlMappingNode map => new RuleMapNode(location,
                [.. map.Children.Select(e => new KeyValuePair<string, RuleNode>(e.Key is YamlScalarNode k ? k.Value ?? "" : e.Key.ToString(), Convert(e.Value, source)))]),
            YamlSequenceNode list => new RuleListNode(location, [.. list.Children.Select(c => Convert(c, source))]),
            YamlScalarNode scalar => new RuleScalarNode(location, IsNull(scalar) ? null : scalar.Value),
            _ => new RuleScalarNode(location, node.ToString()),
        };
    }

    // YAML 1.2 core schema nulls, unless quoted.
    private static bool IsNull(YamlScalarNode scalar) =>
        scalar.Style is ScalarStyle.Plain or ScalarStyle.Any && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";

    private static RuleNode Convert(JsonElement element, string source, string path) => element.ValueKind switch
    {
        JsonValueKind.Object => new RuleMapNode($"{source} {path}",
            [.. element.EnumerateObject().Select(p => new KeyValuePair<string, RuleNode>(p.Name, Convert(p.Value, source, $"{path}.{p.Name}")))]),
        JsonValueKind.Array => new RuleListNode($"{source} {path}", [.. element.EnumerateArray().Select((e, i) => Convert(e, source, $"{path}[{i}]"))]),
        JsonValueKind.String => new RuleScalarNode($"{source} {path}", element.GetString()),
        JsonValueKind.Null => new RuleScalarNode($"{source} {path}", null),
        _ => new RuleScalarNode($"{source} {path}", element.GetRawText()),
    };
}
