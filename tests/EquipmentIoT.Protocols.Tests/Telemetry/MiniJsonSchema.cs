using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace EquipmentIoT.Protocols.Tests.Telemetry;

/// <summary>
/// A small JSON Schema 2020-12 checker for the keywords telemetry-batch-v1.schema.json uses ($ref to
/// #/$defs, type, const, enum, required, properties, additionalProperties, items, pattern, minimum,
/// maximum, maxLength, maxItems, maxProperties, propertyNames, oneOf). No schema library is available;
/// an unknown keyword fails loudly so the schema cannot silently outgrow the check.
/// </summary>
internal sealed class MiniJsonSchema(JsonElement root)
{
    private static readonly HashSet<string> Known =
    [
        "$schema", "$id", "$defs", "title", "description", "$ref", "type", "const", "enum", "required", "properties",
        "additionalProperties", "items", "pattern", "minimum", "maximum", "maxLength", "maxItems", "maxProperties",
        "propertyNames", "oneOf",
    ];

    /// <summary>The problems of <paramref name="instance"/>, each with its JSON path; empty when it conforms.</summary>
    public List<string> Validate(JsonElement instance)
    {
        var problems = new List<string>();
        Check(root, instance, "$", problems);
        return problems;
    }

    private void Check(JsonElement schema, JsonElement value, string path, List<string> problems)
    {
        foreach (var keyword in schema.EnumerateObject())
        {
            if (!Known.Contains(keyword.Name)) throw new NotSupportedException($"schema keyword '{keyword.Name}' is not checked by MiniJsonSchema");
        }
        if (schema.TryGetProperty("$ref", out var reference))
        {
            var name = reference.GetString()!;
            Assert.StartsWith("#/$defs/", name, StringComparison.Ordinal);
            Check(root.GetProperty("$defs").GetProperty(name["#/$defs/".Length..]), value, path, problems);
        }
        if (schema.TryGetProperty("type", out var type) && !HasType(value, type.GetString()!))
            problems.Add($"{path}: is {value.ValueKind}, not {type.GetString()}");
        if (schema.TryGetProperty("const", out var constant) && !JsonElement.DeepEquals(constant, value))
            problems.Add($"{path}: is not {constant.GetRawText()}");
        if (schema.TryGetProperty("enum", out var options) && !options.EnumerateArray().Any(o => JsonElement.DeepEquals(o, value)))
            problems.Add($"{path}: {value.GetRawText()} is not one of {options.GetRawText()}");
        if (schema.TryGetProperty("oneOf", out var oneOf))
        {
            var matches = oneOf.EnumerateArray().Count(s => { var p = new List<string>(); Check(s, value, path, p); return p.Count == 0; });
            if (matches != 1) problems.Add($"{path}: matches {matches} of the oneOf schemas");
        }
        switch (value.ValueKind)
        {
            case JsonValueKind.Object: CheckObject(schema, value, path, problems); break;
            case JsonValueKind.Array:
                if (schema.TryGetProperty("maxItems", out var maxItems) && value.GetArrayLength() > maxItems.GetInt32()) problems.Add($"{path}: too many items");
                if (schema.TryGetProperty("items", out var items))
                {
                    var i = 0;
                    foreach (var item in value.EnumerateArray()) Check(items, item, $"{path}[{i++}]", problems);
                }
                break;
            case JsonValueKind.String:
                var text = value.GetString()!;
                if (schema.TryGetProperty("pattern", out var pattern) && !Regex.IsMatch(text, pattern.GetString()!, RegexOptions.None, TimeSpan.FromSeconds(1)))
                    problems.Add($"{path}: '{text}' does not match {pattern.GetString()}");
                if (schema.TryGetProperty("maxLength", out var maxLength) && text.Length > maxLength.GetInt32()) problems.Add($"{path}: too long");
                break;
            case JsonValueKind.Number:
                var number = value.GetDouble();
                if (schema.TryGetProperty("minimum", out var min) && number < min.GetDouble()) problems.Add($"{path}: below {min}");
                if (schema.TryGetProperty("maximum", out var max) && number > max.GetDouble()) problems.Add($"{path}: above {max}");
                break;
        }
    }

    private void CheckObject(JsonElement schema, JsonElement value, string path, List<string> problems)
    {
        if (schema.TryGetProperty("required", out var required))
        {
            foreach (var name in required.EnumerateArray().Select(n => n.GetString()!))
            {
                if (!value.TryGetProperty(name, out _)) problems.Add($"{path}.{name}: required");
            }
        }
        if (schema.TryGetProperty("maxProperties", out var maxProperties) && value.EnumerateObject().Count() > maxProperties.GetInt32())
            problems.Add($"{path}: too many members");
        schema.TryGetProperty("properties", out var properties);
        foreach (var member in value.EnumerateObject())
        {
            if (schema.TryGetProperty("propertyNames", out var names)) Check(names, JsonDocument.Parse(JsonSerializer.Serialize(member.Name)).RootElement, $"{path}.{member.Name}(name)", problems);
            if (properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(member.Name, out var memberSchema))
                Check(memberSchema, member.Value, $"{path}.{member.Name}", problems);
            else if (schema.TryGetProperty("additionalProperties", out var additional))
            {
                if (additional.ValueKind == JsonValueKind.False) problems.Add($"{path}.{member.Name}: not allowed");
                else if (additional.ValueKind == JsonValueKind.Object) Check(additional, member.Value, $"{path}.{member.Name}", problems);
            }
        }
    }

    private static bool HasType(JsonElement value, string type) => type switch
    {
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        "string" => value.ValueKind == JsonValueKind.String,
        "number" => value.ValueKind == JsonValueKind.Number,
        "integer" => value.ValueKind == JsonValueKind.Number && double.IsInteger(value.GetDouble())
            && !value.GetRawText().Contains('.', StringComparison.Ordinal) || (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _)),
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "null" => value.ValueKind == JsonValueKind.Null,
        _ => throw new NotSupportedException(string.Create(CultureInfo.InvariantCulture, $"type '{type}'")),
    };
}
