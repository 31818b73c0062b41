using EquipmentIoT.Cloud.Rules.Parsing;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Protocols.Telemetry.Model;
using NodaTime;

namespace EquipmentIoT.Cloud.Rules.Engine;

public sealed partial class RuleEngine
{
    private void Install(IEnumerable<RuleDefinition> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var all = rules.ToList();
        var duplicate = all.GroupBy(r => r.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null) throw new ArgumentException($"rule id '{duplicate.Key}' is given more than once", nameof(rules));
        _all = all;
        _enabled = [.. all.Where(r => r.Enabled)];
        _fingerprints = _enabled.ToDictionary(r => r.Id, RuleWriter.Fingerprint, StringComparer.Ordinal);
        _byMetric = _enabled.Where(r => r.Condition.Metric is not null)
            .GroupBy(r => r.Condition.Metric!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var windows = _enabled.Select(r => r.Condition).OfType<IntegrityCondition>().Select(c => c.Window).ToList();
        _quarantineKeep = windows.Count == 0 ? Duration.FromHours(1) : windows.Max();
    }

    private static bool Applies(RuleDefinition rule, SubjectFacts facts) =>
        rule.SubjectKind == facts.Kind && (facts.Kind == RuleSubjectKind.Device
            ? rule.Scope.MatchesDevice(facts.Id, facts.DeviceClass, facts.Agent)
            : rule.Scope.MatchesAgent(facts.Id));

    private SubjectFacts DeviceFacts(string device, string? agent)
    {
        if (!_devices.TryGetValue(device, out var facts)) _devices[device] = facts = new SubjectFacts(device, RuleSubjectKind.Device);
        if (agent is not null) facts.Agent = agent;
        return facts;
    }

    private SubjectFacts AgentFacts(string agent)
    {
        if (!_agents.TryGetValue(agent, out var facts)) _agents[agent] = facts = new SubjectFacts(agent, RuleSubjectKind.Agent) { Agent = agent };
        return facts;
    }

    private SubjectFacts? Subject(RuleSubjectKind kind, string id) =>
        (kind == RuleSubjectKind.Device ? _devices : _agents).TryGetValue(id, out var facts) ? facts : null;

    private ConditionState StateOf(RuleDefinition rule, SubjectFacts facts)
    {
        if (!_conditions.TryGetValue((rule.Id, facts.Id), out var state)) _conditions[(rule.Id, facts.Id)] = state = new ConditionState();
        return state;
    }

    private void AgentSeen(string? agent, Instant at, ref List<RuleTransition>? output)
    {
        if (agent is null) return;
        var facts = AgentFacts(agent);
        facts.Seen(at);
        DataArrived(facts, at, ref output);
    }

    /// <summary>Data from a subject clears its raised or waiting silences.</summary>
    private void DataArrived(SubjectFacts facts, Instant at, ref List<RuleTransition>? output)
    {
        foreach (var rule in _enabled)
        {
            if (rule.Condition is not SilenceCondition silence || !Applies(rule, facts)) continue;
            if (!_conditions.TryGetValue((rule.Id, facts.Id), out var state) || (!state.Active && state.PendingRaise is null)) continue;
            Evaluate(rule, facts, at, _ => ConditionVerdicts.Silence(silence, facts, at), ref output);
        }
    }

    private void ObserveReading(RuleDefinition rule, SubjectFacts facts, MetricPoint point, ref List<RuleTransition>? output)
    {
        // A bad reading is not a value (SPEC.md §metrics, quality): it neither raises nor clears.
        if (point.Quality == MetricQuality.Bad || !double.IsFinite(point.Value)) return;
        var state = StateOf(rule, facts);
        if (rule.Condition is RateOfChangeCondition rate)
        {
            state.Rate ??= new RateWindow(rate.Window);
            state.Rate.Add(point.Timestamp, point.Value);
        }

        if (state.IsLate(point.Timestamp)) return;
        state.LastValue = point.Value;
        state.LastValueAt = point.Timestamp;
        Reevaluate(rule, facts, point.Timestamp, ref output);
    }

    /// <summary>Evaluates a metric rule on what it has (after a reading, or when its <c>while</c> state changed).</summary>
    private void Reevaluate(RuleDefinition rule, SubjectFacts facts, Instant at, ref List<RuleTransition>? output)
    {
        Evaluate(rule, facts, at, state =>
        {
            if (state.LastValue is not { } value || state.LastValueAt is not { } read || at - read > _options.MaxReadingAge)
                return Verdict.Hold("no recent reading");
            return rule.Condition switch
            {
                ThresholdCondition t => ConditionVerdicts.Threshold(t, value),
                RateOfChangeCondition r when state.Rate is { } window => ConditionVerdicts.Rate(r, window, at),
                _ => Verdict.Hold("no reading"),
            };
        }, ref output);
    }

    private void Evaluate(RuleDefinition rule, SubjectFacts facts, Instant at, Func<ConditionState, Verdict> verdictOf, ref List<RuleTransition>? output)
    {
        var state = StateOf(rule, facts);
        var verdict = rule.While is { } guard && ConditionVerdicts.Guard(guard, facts) is { } outside ? outside : verdictOf(state);
        if (state.Step(verdict, at, rule.RaiseAfter, rule.ClearAfter)) Emit(ref output, rule, facts, state.Active, at, verdict.Value, verdict.Reason);
    }

    private static void Emit(ref List<RuleTransition>? output, RuleDefinition rule, SubjectFacts facts, bool raise, Instant at, double? value, string reason)
    {
        output ??= [];
        output.Add(new RuleTransition(rule.Id, facts.Id, facts.Kind, raise ? RuleTransitionKind.Raise : RuleTransitionKind.Clear, at, rule.Severity,
            value, reason, facts.DeviceClass, facts.Site));
    }

    private void ObserveIntegrity(SubjectFacts agent, string type, Instant at, IReadOnlyDictionary<string, EventValue> data, ref List<RuleTransition>? output)
    {
        if (type == IntegrityEventTypes.Quarantined)
        {
            agent.Quarantined(at, _quarantineKeep);
            EvaluateIntegrity(agent, IntegrityCheck.Quarantined, at, ref output);
            return;
        }

        if (!data.TryGetValue("stream", out var stream) || stream.Kind != EventValueKind.Text
            || !data.TryGetValue("from", out var from) || from.Kind != EventValueKind.Number
            || !data.TryGetValue("to", out var to) || to.Kind != EventValueKind.Number) return;
        // Seqs are whole numbers from 1; anything else is not a gap this engine can count.
        if (!IsSeq(from.AsNumber) || !IsSeq(to.AsNumber)) return;
        var gaps = agent.GapsOf(stream.AsString);
        var (low, high) = ((long)from.AsNumber, (long)to.AsNumber);
        if (type == IntegrityEventTypes.GapDetected) gaps.Add(low, high);
        else if (type is IntegrityEventTypes.GapFilled or IntegrityEventTypes.GapUnavailable) gaps.Remove(low, high);
        else return;
        EvaluateIntegrity(agent, IntegrityCheck.OpenGaps, at, ref output);
    }

    private static bool IsSeq(double value) => value >= 1 && value <= (1L << 53) && Math.Floor(value) == value;

    private void EvaluateIntegrity(SubjectFacts agent, IntegrityCheck check, Instant at, ref List<RuleTransition>? output)
    {
        foreach (var rule in _enabled)
        {
            if (rule.Condition is IntegrityCondition c && c.Check == check && Applies(rule, agent))
                Evaluate(rule, agent, at, _ => ConditionVerdicts.Integrity(c, agent, at), ref output);
        }
    }
}
