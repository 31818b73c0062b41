using System.Text.RegularExpressions;
using EquipmentIoT.EdgeAgent.Profiles;

namespace EquipmentIoT.EdgeAgent.Adapters.Serial;

/// <summary>One rule of <see cref="SerialProfile.Lines"/>: which lines it takes and how their fields are found.</summary>
public sealed class SerialLineRule : ProfileNode
{
    /// <summary>The grammar names.</summary>
    public const string KeyValue = "key-value", Csv = "csv", RegexGrammar = "regex";

    /// <summary>A regex the line must match for this rule to apply; null = every line.</summary>
    public string? Match { get; set; }

    /// <summary>key-value | csv | regex.</summary>
    public string Grammar { get; set; } = "";

    /// <summary>key-value: what separates pairs; null = any run of whitespace.</summary>
    public string? PairSeparator { get; set; }

    /// <summary>key-value: what separates a key from its value (the first occurrence in a pair).</summary>
    public string KeyValueSeparator { get; set; } = "=";

    /// <summary>csv: the field delimiter.</summary>
    public string Delimiter { get; set; } = ",";

    /// <summary>csv: field names by position; "-" skips a column.</summary>
    public List<string> Columns { get; set; } = [];

    /// <summary>regex: named groups are fields.</summary>
    public string? Pattern { get; set; }

    /// <summary>Fields read as numbers.</summary>
    public List<SerialMetricRule> Metrics { get; set; } = [];

    /// <summary>Fields that are state machines.</summary>
    public List<SerialStateRule> States { get; set; } = [];

    /// <summary>Fields that carry fault codes.</summary>
    public List<SerialFaultRule> Faults { get; set; } = [];

    /// <summary>Every field the rule's metrics, states and faults read.</summary>
    internal IEnumerable<(ProfileNode Node, string Field)> ReferencedFields() =>
        Metrics.Where(m => m is not null).Select(m => ((ProfileNode)m, m.Field))
            .Concat(States.Where(s => s is not null).Select(s => ((ProfileNode)s, s.Field)))
            .Concat(Faults.Where(f => f is not null).Select(f => ((ProfileNode)f, f.Field)));

    /// <inheritdoc/>
    public override IEnumerable<ProfileError> Validate()
    {
        if (Match is not null && SerialProfile.RegexProblem(Match) is { } matchProblem) yield return Error($"'match' is not a valid regex: {matchProblem}");
        HashSet<string>? known = null;
        switch (Grammar)
        {
            case KeyValue:
                if (string.IsNullOrEmpty(KeyValueSeparator)) yield return Error("key-value: 'keyValueSeparator' must not be empty");
                if (PairSeparator is "") yield return Error("key-value: 'pairSeparator' must not be empty (omit it for whitespace)");
                if (PairSeparator is not null && PairSeparator == KeyValueSeparator) yield return Error("key-value: 'pairSeparator' and 'keyValueSeparator' must differ");
                break;
            case Csv:
                if (string.IsNullOrEmpty(Delimiter)) yield return Error("csv: 'delimiter' must not be empty");
                if (Columns.Count == 0) yield return Error("csv: 'columns' (field names by position) is required");
                if (Columns.Any(string.IsNullOrWhiteSpace)) yield return Error("csv: every column needs a name ('-' skips one)");
                known = Columns.Count == 0 ? null : [.. Columns.Where(c => c is not (null or "-"))];
                foreach (var duplicate in Columns.Where(c => c is not (null or "-")).GroupBy(c => c, StringComparer.Ordinal).Where(g => g.Count() > 1))
                {
                    yield return Error($"csv: column '{duplicate.Key}' is named twice");
                }

                break;
            case RegexGrammar:
                if (string.IsNullOrEmpty(Pattern))
                {
                    yield return Error("regex: 'pattern' is required");
                }
                else if (SerialProfile.RegexProblem(Pattern) is { } problem)
                {
                    yield return Error($"regex: 'pattern' is not a valid regex: {problem}");
                }
                else
                {
                    known = [.. SerialProfile.CompileRegex(Pattern).GetGroupNames().Where(n => !int.TryParse(n, out _))];
                    if (known.Count == 0) yield return Error("regex: 'pattern' has no named groups (?<name>…) to read fields from");
                }

                break;
            default:
                yield return Error($"'grammar' '{Grammar}' is not one of {KeyValue}, {Csv}, {RegexGrammar}");
                break;
        }

        if (Metrics.Count + States.Count + Faults.Count == 0) yield return Error("the rule reads nothing: give 'metrics', 'states' or 'faults'");
        if (Metrics.Contains(null!) || States.Contains(null!) || Faults.Contains(null!)) yield return Error("an entry of 'metrics', 'states' or 'faults' is empty");
        if (known is not null)
        {
            foreach (var (node, field) in ReferencedFields())
            {
                if (!string.IsNullOrEmpty(field) && !known.Contains(field))
                {
                    yield return new ProfileError(node.Line, Grammar == Csv
                        ? $"field '{field}' is not one of the csv columns ({string.Join(", ", known)})"
                        : $"field '{field}' is not a named group of the pattern ({string.Join(", ", known)})");
                }
            }
        }

        foreach (var e in Children().SelectMany(c => c.Validate())) yield return e;
        foreach (var e in Duplicates(Metrics, m => m.MetricName, "metric")) yield return e;
        foreach (var e in Duplicates(States, s => s.StateName, "state machine")) yield return e;
        foreach (var e in Duplicates(Faults, f => f.Field, "fault field")) yield return e;
    }

    private IEnumerable<ProfileNode> Children() =>
        Metrics.Cast<ProfileNode>().Concat(States).Concat(Faults).Where(n => n is not null);

    private static IEnumerable<ProfileError> Duplicates<T>(List<T> items, Func<T, string> key, string what)
        where T : ProfileNode =>
        items.Where(i => i is not null).GroupBy(key, StringComparer.Ordinal).Where(g => g.Count() > 1)
            .Select(g => new ProfileError(g.ElementAt(1).Line, $"{what} '{g.Key}' appears twice in this rule"));
}
