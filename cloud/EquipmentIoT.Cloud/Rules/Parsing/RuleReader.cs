using System.Text.RegularExpressions;
using EquipmentIoT.Cloud.Alarms;
using NodaTime;

namespace EquipmentIoT.Cloud.Rules.Parsing;

/// <summary>
/// Reads rule definitions from a <see cref="RuleNode"/> tree: a list of rules, or a mapping with a <c>rules</c> list.
/// Every rule is checked; the result has the good rules and one line per error (location, rule id, field, reason).
/// The format is described in Rules/README.md.
/// </summary>
internal static partial class RuleReader
{
    /// <summary>The kinds of condition, one of which each rule has as a key.</summary>
    public static readonly string[] Kinds = ["threshold", "rate", "silence", "state", "fault", "integrity"];

    /// <summary>A serial profile's state machine when it names none (SerialLineInterpreter sends no <c>machine</c> then).</summary>
    public const string DefaultMachine = "state";

    public static RuleReadResult Read(RuleNode root)
    {
        var errors = new RuleErrors();
        var list = root switch
        {
            RuleListNode l => l,
            RuleMapNode m when m.Entries.Count == 1 && m.Get("rules") is RuleListNode l => l,
            RuleMapNode m when m.Entries.Count == 0 || m.Get("rules") is RuleScalarNode { Text: null } => new RuleListNode(m.Location, []),
            _ => null,
        };
        if (list is null)
        {
            errors.Add($"{root.Location}: a rules document is a list of rules, or a mapping with only 'rules:' holding that list");
            return new RuleReadResult([], errors.All);
        }

        var rules = new List<RuleDefinition>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in list.Items)
        {
            errors.Rule = null;
            if (item is not RuleMapNode map)
            {
                errors.Add($"{item.Location}: a rule must be a mapping (id, scope, severity, and one of {string.Join(", ", Kinds)})");
                continue;
            }

            var before = errors.Count;
            var rule = ReadRule(new RuleFields(map, "", errors), errors);
            if (rule is null || errors.Count != before) continue;
            if (!ids.Add(rule.Id)) errors.Add(map, "id", "is used by an earlier rule of this document");
            else rules.Add(rule);
        }

        return new RuleReadResult(rules, errors.All);
    }

    private static RuleDefinition? ReadRule(RuleFields f, RuleErrors errors)
    {
        var id = f.Text("id", required: true);
        if (id is not null && !IdPattern().IsMatch(id))
        {
            f.Error("id", $"'{id}' must be 1-64 of A-Z a-z 0-9 . _ -");
            id = null;
        }

        errors.Rule = id;
        var description = f.Text("description");
        var severity = f.Choice<AlarmSeverity>("severity", required: true);
        var enabled = f.Boolean("enabled") ?? true;
        var raiseAfter = f.Span("raiseAfter") ?? Duration.Zero;
        var clearAfter = f.Span("clearAfter") ?? Duration.Zero;
        var scope = ReadScope(f.Map("scope"));
        var guard = ReadGuard(f.Map("while"));
        var kinds = Kinds.Where(f.Has).ToList();
        RuleCondition? condition = null;
        if (kinds.Count != 1)
            errors.Add(f.Node, kinds.Count == 0 ? "(kind)" : string.Join("/", kinds), $"a rule has exactly one of {string.Join(", ", Kinds)}");
        else condition = ReadCondition(kinds[0], f);
        f.RefuseUnknown();

        if (condition is { SubjectKind: RuleSubjectKind.Agent } && scope is { } s && (s.DeviceClass ?? s.Device) is not null)
            f.Error("scope", $"a {condition.KindName} rule watches agents: its scope is an agent or nothing");
        if (condition is { SubjectKind: RuleSubjectKind.Agent } && guard is not null)
            f.Error("while", "applies to device state machines; this rule watches agents");
        if (id is null || severity is null || scope is null || condition is null) return null;
        return new RuleDefinition(id, description, scope, severity.Value, condition, guard, raiseAfter, clearAfter, enabled);
    }

    private static RuleScope? ReadScope(RuleFields? f)
    {
        if (f is null) return RuleScope.Everything;
        var scope = new RuleScope(f.Text("class"), f.Name("device"), f.Name("agent"));
        f.RefuseUnknown();
        if (new[] { scope.DeviceClass, scope.Device, scope.Agent }.Count(x => x is not null) > 1)
        {
            f.Error("class", "a scope names one of class, device or agent");
            return null;
        }

        return scope;
    }

    private static StateGuard? ReadGuard(RuleFields? f)
    {
        if (f is null) return null;
        var machine = f.Name("machine") ?? DefaultMachine;
        var states = f.Names("in", required: true);
        f.RefuseUnknown();
        return states is null ? null : new StateGuard(machine, states);
    }

    private static RuleCondition? ReadCondition(string kind, RuleFields rule)
    {
        var f = rule.Map(kind, required: true);
        if (f is null) return null;
        RuleCondition? condition = kind switch
        {
            "threshold" => ReadThreshold(f),
            "rate" => ReadRate(f),
            "silence" => ReadSilence(f),
            "state" => ReadState(f),
            "fault" => f.Names("codes", required: true) is { } codes ? new FaultCondition(codes) : null,
            _ => ReadIntegrity(f),
        };
        f.RefuseUnknown();
        return condition;
    }

    private static ThresholdCondition? ReadThreshold(RuleFields f)
    {
        var metric = f.Name("metric", required: true);
        var above = f.Number("above");
        var below = f.Number("below");
        if (f.Has("above") == f.Has("below"))
        {
            f.Error(f.Has("above") ? "below" : "above", "a threshold has exactly one of above or below (the level that raises)");
            return null;
        }

        if (above is null && below is null) return null;

        var direction = above is null ? ThresholdDirection.Below : ThresholdDirection.Above;
        var raise = above ?? below!.Value;
        var clear = f.Number("clear") ?? raise;
        // Hysteresis only makes sense on the near side of the raise level: otherwise a value could be past both.
        if (direction == ThresholdDirection.Above && clear > raise) f.Error("clear", $"must be at most the raise level {raise} (it clears when the value is below it)");
        else if (direction == ThresholdDirection.Below && clear < raise) f.Error("clear", $"must be at least the raise level {raise} (it clears when the value is above it)");
        else if (metric is not null) return new ThresholdCondition(metric, direction, raise, clear);
        return null;
    }

    private static RateOfChangeCondition? ReadRate(RuleFields f)
    {
        var metric = f.Name("metric", required: true);
        var falling = f.Number("falling");
        var rising = f.Number("rising");
        var per = f.Span("per", positive: true) ?? Duration.FromDays(1);
        var window = f.Span("window", required: true, positive: true);
        var minSamples = f.Integer("minSamples", 3, 1_000_000) ?? 10;
        if ((falling is null) == (rising is null))
        {
            f.Error(falling is null ? "falling" : "rising", "a rate has exactly one of falling or rising (the limit, in units per 'per')");
            return null;
        }

        var limit = falling ?? rising!.Value;
        var clear = f.Number("clear") ?? limit;
        if (limit <= 0) f.Error(falling is null ? "rising" : "falling", "must be greater than zero");
        else if (clear < 0 || clear > limit) f.Error("clear", $"must be from 0 to the limit {limit} (it clears when the rate is slower)");
        else if (window is { } w && w < Duration.FromMinutes(1)) f.Error("window", "must be at least 1 minute");
        else if (metric is not null && window is { } ok)
            return new RateOfChangeCondition(metric, falling is null ? RateDirection.Rising : RateDirection.Falling, limit, clear, per, ok, minSamples);
        return null;
    }

    private static SilenceCondition? ReadSilence(RuleFields f)
    {
        var after = f.Span("after", required: true, positive: true);
        var of = f.Choice<RuleSubjectKind>("of") ?? RuleSubjectKind.Device;
        return after is { } a ? new SilenceCondition(a, of) : null;
    }

    private static StateCondition? ReadState(RuleFields f)
    {
        var machine = f.Name("machine") ?? DefaultMachine;
        return f.Names("in", required: true) is { } states ? new StateCondition(machine, states) : null;
    }

    private static IntegrityCondition? ReadIntegrity(RuleFields f)
    {
        var check = f.Choice<IntegrityCheck>("check", required: true);
        var count = f.Integer("count", 1, 1_000_000) ?? 1;
        var window = f.Span("window", positive: true);
        if (check == IntegrityCheck.OpenGaps && window is not null) f.Error("window", "applies to 'quarantined' only (open gaps are counted as they stand)");
        return check is { } c ? new IntegrityCondition(c, count, window ?? Duration.FromHours(1)) : null;
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial Regex IdPattern();
}

/// <summary>The rules read from one document and the errors found in it (empty when every rule was good).</summary>
public sealed record RuleReadResult(IReadOnlyList<RuleDefinition> Rules, IReadOnlyList<string> Errors)
{
    /// <summary>True when there were no errors.</summary>
    public bool Success => Errors.Count == 0;
}
