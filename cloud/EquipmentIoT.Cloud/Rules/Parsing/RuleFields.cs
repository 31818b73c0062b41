using System.Globalization;
using EquipmentIoT.Protocols.Telemetry.Model;
using NodaTime;

namespace EquipmentIoT.Cloud.Rules.Parsing;

/// <summary>
/// Reads the fields of one mapping of a rule, noting every error with the node's location, the rule's id and the
/// field's path ("site.yaml:14: rule 'mr-helium-low': threshold.below: must be a number, not 'sixty'"), and at the
/// end the keys nobody asked for: a typo must not silently turn part of a rule off.
/// </summary>
internal sealed class RuleFields
{
    private readonly RuleMapNode _map;
    private readonly string _path;
    private readonly RuleErrors _errors;
    private readonly HashSet<string> _used = new(StringComparer.OrdinalIgnoreCase);

    public RuleFields(RuleMapNode map, string path, RuleErrors errors)
    {
        _map = map;
        _path = path;
        _errors = errors;
        foreach (var group in map.Entries.GroupBy(e => e.Key, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
            errors.Add(map, Field(group.Key), "is given more than once");
    }

    public RuleMapNode Node => _map;

    public bool Has(string key) => _map.Get(key) is not null;

    /// <summary>The path of a field of this mapping ("threshold.below").</summary>
    public string Field(string key) => _path.Length == 0 ? key : $"{_path}.{key}";

    public void Error(string key, string message) => _errors.Add(_map.Get(key) ?? _map, Field(key), message);

    public string? Text(string key, bool required = false)
    {
        _used.Add(key);
        switch (_map.Get(key))
        {
            case null:
                if (required) _errors.Add(_map, Field(key), "is required");
                return null;
            case RuleScalarNode { Text: { } text }:
                return text;
            case RuleScalarNode:
                if (required) _errors.Add(_map, Field(key), "is required");
                return null;
            case var node:
                _errors.Add(node, Field(key), "must be a single value, not a list or mapping");
                return null;
        }
    }

    /// <summary>A name as the envelope allows (metric, device, state machine).</summary>
    public string? Name(string key, bool required = false)
    {
        var text = Text(key, required);
        if (text is null || TelemetryNames.IsValidName(text)) return text;
        Error(key, $"'{text}' is not a valid name ({TelemetryNames.NameRule})");
        return null;
    }

    public double? Number(string key, bool required = false)
    {
        var text = Text(key, required);
        if (text is null) return null;
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)) return value;
        Error(key, $"must be a number, not '{text}'");
        return null;
    }

    public int? Integer(string key, int min, int max)
    {
        var text = Text(key);
        if (text is null) return null;
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max) return value;
        Error(key, $"must be a whole number from {min} to {max}, not '{text}'");
        return null;
    }

    public bool? Boolean(string key)
    {
        var text = Text(key);
        if (text is null) return null;
        if (bool.TryParse(text, out var value)) return value;
        Error(key, $"must be true or false, not '{text}'");
        return null;
    }

    public Duration? Span(string key, bool required = false, bool positive = false)
    {
        var text = Text(key, required);
        if (text is null) return null;
        if (!DurationText.TryParse(text, out var value))
        {
            Error(key, $"must be {DurationText.Forms}, not '{text}'");
            return null;
        }

        if (positive && value <= Duration.Zero)
        {
            Error(key, "must be longer than zero");
            return null;
        }

        return value;
    }

    public TEnum? Choice<TEnum>(string key, bool required = false)
        where TEnum : struct, System.Enum
    {
        var text = Text(key, required);
        if (text is null) return null;
        if (!int.TryParse(text, out _) && System.Enum.TryParse<TEnum>(text, ignoreCase: true, out var value)) return value;
        Error(key, $"must be one of {string.Join(", ", System.Enum.GetNames<TEnum>().Select(n => n.ToLowerInvariant()))}, not '{text}'");
        return null;
    }

    /// <summary>A list of names; a single value is read as a list of one.</summary>
    public IReadOnlyList<string>? Names(string key, bool required = false)
    {
        _used.Add(key);
        var node = _map.Get(key);
        if (node is RuleScalarNode { Text: not null }) return Name(key) is { } one ? [one] : null;
        if (node is not RuleListNode list || list.Items.Count == 0)
        {
            if (node is not null || required) _errors.Add(node ?? _map, Field(key), "must be a name or a non-empty list of names");
            return null;
        }

        var names = new List<string>();
        foreach (var item in list.Items)
        {
            if (item is RuleScalarNode { Text: { } t } && (TelemetryNames.IsValidName(t) || t == FaultCondition.AnyCode)) names.Add(t);
            else _errors.Add(item, Field(key), $"'{(item as RuleScalarNode)?.Text}' is not a valid name ({TelemetryNames.NameRule})");
        }

        return names.Count == list.Items.Count ? names : null;
    }

    /// <summary>A nested mapping's fields, or null (and an error when it is there but not a mapping, or required).</summary>
    public RuleFields? Map(string key, bool required = false)
    {
        _used.Add(key);
        switch (_map.Get(key))
        {
            case RuleMapNode map:
                return new RuleFields(map, Field(key), _errors);
            case null:
                if (required) _errors.Add(_map, Field(key), "is required");
                return null;
            case var node:
                _errors.Add(node, Field(key), "must be a mapping");
                return null;
        }
    }

    /// <summary>Notes every key that was not read as an error.</summary>
    public void RefuseUnknown()
    {
        foreach (var (key, node) in _map.Entries)
        {
            if (!_used.Contains(key)) _errors.Add(node, Field(key), "is not a field here (a typo?)");
        }
    }
}

/// <summary>The errors of one document, each with its location and the rule it belongs to.</summary>
internal sealed class RuleErrors
{
    private readonly List<string> _errors = [];

    /// <summary>The id of the rule being read, for the messages.</summary>
    public string? Rule { get; set; }

    public IReadOnlyList<string> All => _errors;

    public int Count => _errors.Count;

    public void Add(RuleNode at, string field, string message) =>
        _errors.Add(Rule is null ? $"{at.Location}: {field}: {message}" : $"{at.Location}: rule '{Rule}': {field}: {message}");

    public void Add(string message) => _errors.Add(message);
}
