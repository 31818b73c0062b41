using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EquipmentIoT.Testing;

namespace EquipmentIoT.IntegrationTests.Stack;

/// <summary>Which store a panel query goes to.</summary>
internal enum DashboardStore
{
    Influx,
    Postgres,
}

/// <summary>One query of one panel of one dashboard, as written in the JSON.</summary>
internal sealed record PanelQuery(string Dashboard, string Panel, string RefId, DashboardStore Store, string Text)
{
    public override string ToString() => $"{Dashboard} / {Panel} / {RefId}";
}

/// <summary>
/// The dashboards in dashboards/grafana/dashboards and what Grafana does to their queries before it sends them: template
/// variables replaced by chosen values (a regex alternation inside InfluxQL regexes, a quoted list in SQL), <c>$timeFilter</c>
/// and <c>$__interval</c> in InfluxQL, and the PostgreSQL macros our dashboards use (<c>$__timeFilter</c>,
/// <c>$__timeGroupAlias</c>, <c>$__unixEpochFrom/To</c>) expanded the way Grafana's SQL data source expands them.
/// </summary>
internal static partial class GrafanaDashboards
{
    public const string InfluxUid = "eqiot-influx";
    public const string PostgresUid = "eqiot-postgres";

    public static string Directory => RepositoryPaths.Of("dashboards", "grafana", "dashboards");

    public static IReadOnlyList<string> Files => System.IO.Directory.GetFiles(Directory, "*.json").Order(StringComparer.Ordinal).ToList();

    public static JsonObject Load(string file) => JsonNode.Parse(File.ReadAllText(file))!.AsObject();

    /// <summary>Every panel query of every dashboard.</summary>
    public static IReadOnlyList<PanelQuery> Queries() => Files.SelectMany(f => QueriesOf(Path.GetFileName(f), Load(f))).ToList();

    /// <summary>The names of a dashboard's template variables.</summary>
    public static IReadOnlyList<string> Variables(JsonObject dashboard) =>
        dashboard["templating"]?["list"]?.AsArray().Select(v => v!["name"]!.GetValue<string>()).ToList() ?? [];

    /// <summary>Every template variable's query (they run against the stores too, to fill the drop-downs).</summary>
    public static IReadOnlyList<PanelQuery> VariableQueries() => Files.SelectMany(f =>
    {
        var d = Load(f);
        return d["templating"]?["list"]?.AsArray().Select(v => new PanelQuery(Path.GetFileName(f), "variable " + v!["name"], "var",
            StoreOf(v["datasource"]!), v["query"]!.GetValue<string>())) ?? [];
    }).ToList();

    public static IEnumerable<PanelQuery> QueriesOf(string name, JsonObject dashboard)
    {
        foreach (var panel in dashboard["panels"]!.AsArray())
        {
            var title = panel!["title"]!.GetValue<string>();
            foreach (var target in panel["targets"]?.AsArray() ?? [])
            {
                var store = StoreOf(target!["datasource"] ?? panel["datasource"]!);
                var text = store == DashboardStore.Influx ? target["query"]?.GetValue<string>() : target["rawSql"]?.GetValue<string>();
                yield return new PanelQuery(name, title, target["refId"]!.GetValue<string>(), store,
                    text ?? throw new InvalidDataException($"{name} / {title}: a target without a raw query"));
            }
        }
    }

    /// <summary>The query as Grafana would send it for the time range [from, to], the variables' values and the interval.</summary>
    public static string Expand(PanelQuery query, DateTimeOffset from, DateTimeOffset to, IReadOnlyDictionary<string, IReadOnlyList<string>> variables,
        TimeSpan interval)
    {
        var text = query.Text;
        if (query.Store == DashboardStore.Influx)
        {
            text = text.Replace("$timeFilter", $"time >= {from.ToUnixTimeMilliseconds()}ms AND time <= {to.ToUnixTimeMilliseconds()}ms", StringComparison.Ordinal)
                .Replace("$__interval", InfluxDuration(interval), StringComparison.Ordinal);
            return VariablePattern().Replace(text, m => "(" + string.Join('|', Values(variables, m.Groups[1].Value).Select(Regex.Escape)) + ")");
        }

        text = TimeGroupAlias().Replace(text, m => $"to_timestamp(floor(extract(epoch from {m.Groups[1].Value}) / {Seconds(m.Groups[2].Value, interval)}) * {Seconds(m.Groups[2].Value, interval)}) AS \"time\"");
        text = TimeFilter().Replace(text, m => $"{m.Groups[1].Value} BETWEEN '{from:O}' AND '{to:O}'");
        text = text.Replace("$__unixEpochFrom()", from.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("$__unixEpochTo()", to.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        return VariablePattern().Replace(text, m => string.Join(',', Values(variables, m.Groups[1].Value).Select(v => "'" + v.Replace("'", "''", StringComparison.Ordinal) + "'")));
    }

    private static IReadOnlyList<string> Values(IReadOnlyDictionary<string, IReadOnlyList<string>> variables, string name) =>
        variables.TryGetValue(name, out var values) ? values : throw new InvalidDataException($"no value for template variable ${name}");

    private static DashboardStore StoreOf(JsonNode datasource) => datasource["uid"]!.GetValue<string>() switch
    {
        InfluxUid => DashboardStore.Influx,
        PostgresUid => DashboardStore.Postgres,
        var other => throw new InvalidDataException($"unknown data source uid '{other}'"),
    };

    private static string InfluxDuration(TimeSpan interval) =>
        interval.TotalSeconds < 60 ? $"{(int)interval.TotalSeconds}s" : interval.TotalMinutes < 60 ? $"{(int)interval.TotalMinutes}m" : $"{(int)interval.TotalHours}h";

    // '1h', '1d', '1m', '10s' or $__interval.
    private static string Seconds(string argument, TimeSpan interval)
    {
        var text = argument.Trim().Trim('\'');
        if (text == "$__interval") return ((long)interval.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        var unit = text[^1];
        var n = long.Parse(text[..^1], CultureInfo.InvariantCulture);
        return (n * unit switch { 's' => 1, 'm' => 60, 'h' => 3600, 'd' => 86400, _ => throw new InvalidDataException($"interval '{text}'") })
            .ToString(CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"\$(?!__|timeFilter)([a-zA-Z_][a-zA-Z0-9_]*)")]
    private static partial Regex VariablePattern();

    // $__timeGroupAlias(expr, interval): expr may hold one level of parentheses (to_timestamp(x / 1000.0)).
    [GeneratedRegex(@"\$__timeGroupAlias\(((?:[^(),]|\([^()]*\))+),\s*([^)]+)\)")]
    private static partial Regex TimeGroupAlias();

    [GeneratedRegex(@"\$__timeFilter\(((?:[^()]|\([^()]*\))+)\)")]
    private static partial Regex TimeFilter();
}
