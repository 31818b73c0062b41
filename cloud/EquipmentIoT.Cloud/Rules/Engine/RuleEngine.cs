using EquipmentIoT.Cloud.Rules.Parsing;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Protocols.Telemetry.Model;
using NodaTime;

namespace EquipmentIoT.Cloud.Rules.Engine;

/// <summary>
/// Evaluates rules against telemetry, deterministically: fed readings and events in timestamp order, and ticks of the clock for
/// what depends on time passing (silence, delays of event-driven conditions, quarantine windows), it returns the raise and clear
/// transitions of each (rule, subject). Delays are measured by the data's timestamps; only <see cref="Tick(Instant)"/> looks at
/// the clock. Not thread-safe: one caller at a time (<c>RuleRuntime</c> holds a lock). Its state can be saved with
/// <see cref="Snapshot"/> and put back with <see cref="Restore"/>, so that raised conditions and waiting delays survive a restart.
/// </summary>
public sealed partial class RuleEngine
{
    private readonly RuleEngineOptions _options;
    private readonly SortedDictionary<string, SubjectFacts> _devices = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, SubjectFacts> _agents = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Rule, string Subject), ConditionState> _conditions = [];
    private IReadOnlyList<RuleDefinition> _all = [];
    private List<RuleDefinition> _enabled = [];
    private Dictionary<string, string> _fingerprints = new(StringComparer.Ordinal);
    private Dictionary<string, List<RuleDefinition>> _byMetric = new(StringComparer.Ordinal);
    private Duration _quarantineKeep = Duration.FromHours(1);

    /// <summary>An engine with these rules (disabled ones are kept but not evaluated).</summary>
    public RuleEngine(IEnumerable<RuleDefinition> rules, RuleEngineOptions? options = null)
    {
        _options = options ?? new RuleEngineOptions();
        Install(rules);
    }

    /// <summary>Every rule, enabled or not.</summary>
    public IReadOnlyList<RuleDefinition> Rules => _all;

    /// <summary>
    /// Replaces the rules. Conditions of unchanged rules carry on; a changed rule keeps only whether it is raised (its pending
    /// delays and windows start again); a removed or disabled rule's raised conditions are cleared (returned, at <paramref name="at"/>).
    /// </summary>
    public IReadOnlyList<RuleTransition> SetRules(IEnumerable<RuleDefinition> rules, Instant at)
    {
        var old = _fingerprints;
        var oldRules = _enabled.ToDictionary(r => r.Id, StringComparer.Ordinal);
        Install(rules);
        List<RuleTransition>? output = null;
        foreach (var key in _conditions.Keys.OrderBy(k => k.Rule, StringComparer.Ordinal).ThenBy(k => k.Subject, StringComparer.Ordinal).ToList())
        {
            var state = _conditions[key];
            if (!_fingerprints.TryGetValue(key.Rule, out var now))
            {
                if (state.Active && oldRules.TryGetValue(key.Rule, out var gone) && Subject(gone.SubjectKind, key.Subject) is { } facts)
                    Emit(ref output, gone, facts, false, at, null, "the rule was removed or disabled");
                _conditions.Remove(key);
            }
            else if (old.TryGetValue(key.Rule, out var was) && was != now)
            {
                state.KeepOnlyActive();
            }
        }

        return Done(output);
    }

    /// <summary>Tells the engine a device's class, site and agent (from the registry); class scopes need the class.</summary>
    public void SetDevice(DeviceInfo device)
    {
        ArgumentNullException.ThrowIfNull(device);
        DeviceFacts(device.Id, device.Agent).Describe(device);
    }

    /// <summary>True when the engine has seen or been told about this device.</summary>
    public bool KnowsDevice(string device) => _devices.ContainsKey(device);

    /// <summary>A reading; <paramref name="agent"/> (the batch's agent) also counts as data from that agent.</summary>
    public IReadOnlyList<RuleTransition> Observe(MetricPoint point, string? agent = null)
    {
        List<RuleTransition>? output = null;
        var facts = DeviceFacts(point.Device, agent);
        facts.Seen(point.Timestamp);
        AgentSeen(agent, point.Timestamp, ref output);
        if (_byMetric.TryGetValue(point.Name, out var rules))
        {
            foreach (var rule in rules)
            {
                if (!Applies(rule, facts)) continue;
                ObserveReading(rule, facts, point, ref output);
            }
        }

        DataArrived(facts, point.Timestamp, ref output);
        return Done(output);
    }

    /// <summary>An event from a batch (state, fault, …); <c>integrity.*</c> events are about the agent they name as device.</summary>
    public IReadOnlyList<RuleTransition> Observe(TelemetryEvent telemetryEvent, string? agent = null)
    {
        ArgumentNullException.ThrowIfNull(telemetryEvent);
        return Done(ObserveEvent(telemetryEvent.Device, agent, telemetryEvent.Type, telemetryEvent.Timestamp, telemetryEvent.Data));
    }

    /// <summary>A stored event (from the ledger: device events, and the integrity events the cloud raises).</summary>
    public IReadOnlyList<RuleTransition> Observe(StoredEvent storedEvent)
    {
        ArgumentNullException.ThrowIfNull(storedEvent);
        return Done(ObserveEvent(storedEvent.Device, storedEvent.Agent, storedEvent.Type, storedEvent.Timestamp, storedEvent.Data));
    }

    /// <summary>
    /// A batch the ledger stored: data from its agent, and a seq that may fill part of an open gap (the ledger raises
    /// <c>gap_filled</c> only when a gap's last batch arrives, so open-gap counts need every stored batch).
    /// </summary>
    public IReadOnlyList<RuleTransition> ObserveBatch(string agent, string stream, long seq, Instant received)
    {
        ArgumentException.ThrowIfNullOrEmpty(agent);
        List<RuleTransition>? output = null;
        var facts = AgentFacts(agent);
        if (facts.Gaps.TryGetValue(stream, out var gaps) && gaps.Ranges.Count > 0)
        {
            gaps.Remove(seq, seq);
            EvaluateIntegrity(facts, IntegrityCheck.OpenGaps, received, ref output);
        }

        AgentSeen(agent, received, ref output);
        return Done(output);
    }

    /// <summary>
    /// Lets time pass to <paramref name="now"/>: completes waiting changes whose delay is over (a change that rests on a reading only
    /// while that reading is younger than <see cref="RuleEngineOptions.MaxReadingAge"/>), raises silences, expires quarantine windows.
    /// </summary>
    public IReadOnlyList<RuleTransition> Tick(Instant now)
    {
        List<RuleTransition>? output = null;
        foreach (var rule in _enabled)
        {
            var subjects = rule.SubjectKind == RuleSubjectKind.Device ? _devices : _agents;
            foreach (var facts in subjects.Values)
            {
                if (!Applies(rule, facts)) continue;
                if (rule.Condition is SilenceCondition silence && facts.LastSeen is { } last && now - last >= silence.After)
                    Evaluate(rule, facts, last + silence.After, _ => ConditionVerdicts.Silence(silence, facts, now), ref output);
                else if (rule.Condition is IntegrityCondition { Check: IntegrityCheck.Quarantined } quarantine)
                    Evaluate(rule, facts, now, _ => ConditionVerdicts.Integrity(quarantine, facts, now), ref output);
                CompleteDue(rule, facts, now, ref output);
            }
        }

        foreach (var agent in _agents.Values) agent.Forget(now - _quarantineKeep);
        return Done(output);
    }

    private void CompleteDue(RuleDefinition rule, SubjectFacts facts, Instant now, ref List<RuleTransition>? output)
    {
        if (!_conditions.TryGetValue((rule.Id, facts.Id), out var state)) return;
        if (state.Due(rule.RaiseAfter, rule.ClearAfter) is not { } due || now < due) return;
        // A reading is taken to hold until the next one, but not for ever: a device that stopped sending is the silence rule's business.
        if (state.PendingFromReading && (state.LastValueAt is not { } read || now - read > _options.MaxReadingAge)) return;
        var value = state.PendingValue;
        var reason = state.PendingReason ?? "";
        if (state.Complete()) Emit(ref output, rule, facts, state.Active, due, value, reason);
    }

    private List<RuleTransition>? ObserveEvent(string device, string? agent, string type, Instant at, IReadOnlyDictionary<string, EventValue> data)
    {
        List<RuleTransition>? output = null;
        if (type.StartsWith("integrity.", StringComparison.Ordinal))
        {
            ObserveIntegrity(AgentFacts(agent ?? device), type, at, data, ref output);
            return output;
        }

        var facts = DeviceFacts(device, agent);
        facts.Seen(at);
        AgentSeen(agent, at, ref output);
        if (type == EventTypes.State && Text(data, "state") is { } state)
        {
            var machine = Text(data, "machine") ?? RuleReader.DefaultMachine;
            facts.Machines[machine] = state;
            foreach (var rule in _enabled)
            {
                if (rule.Condition is StateCondition sc && sc.Machine == machine && Applies(rule, facts))
                    Evaluate(rule, facts, at, _ => ConditionVerdicts.State(sc, facts), ref output);
                else if (rule.While?.Machine == machine && Applies(rule, facts))
                    Reevaluate(rule, facts, at, ref output);
            }
        }
        else if (type == EventTypes.Fault && Text(data, "code") is { } code && data.TryGetValue("active", out var active) && active.Kind == EventValueKind.Boolean)
        {
            if (active.AsBoolean) facts.Faults[code] = Text(data, "text") ?? code;
            else facts.Faults.Remove(code);
            foreach (var rule in _enabled)
            {
                if (rule.Condition is FaultCondition fc && fc.Watches(code) && Applies(rule, facts))
                    Evaluate(rule, facts, at, _ => ConditionVerdicts.Fault(fc, facts), ref output);
            }
        }

        DataArrived(facts, at, ref output);
        return output;
    }

    private static IReadOnlyList<RuleTransition> Done(List<RuleTransition>? output) => output is null ? Array.Empty<RuleTransition>() : output.AsReadOnly();

    private static string? Text(IReadOnlyDictionary<string, EventValue> data, string key) =>
        data.TryGetValue(key, out var value) && value.Kind == EventValueKind.Text && value.AsString.Length > 0 ? value.AsString : null;
}

/// <summary>Settings of the engine.</summary>
/// <param name="MaxReadingAge">
/// How long a reading is taken to hold when a tick completes a delay that rests on it (the next reading normally completes it).
/// Default 5 minutes.
/// </param>
public sealed record RuleEngineOptions(Duration MaxReadingAge)
{
    /// <summary>The defaults.</summary>
    public RuleEngineOptions()
        : this(Duration.FromMinutes(5))
    {
    }
}
