using NodaTime;

namespace EquipmentIoT.Cloud.Rules.Engine;

public sealed partial class RuleEngine
{
    /// <summary>The engine's state, to be saved (see <see cref="RuleEngineSnapshot.ToJson"/>).</summary>
    public RuleEngineSnapshot Snapshot()
    {
        var subjects = _devices.Values.Concat(_agents.Values).Select(s => new SubjectSnapshot(s.Id, s.Kind, s.DeviceClass, s.Site, s.Agent,
            s.LastSeen?.ToUnixTimeTicks(), new Dictionary<string, string>(s.Machines, StringComparer.Ordinal),
            new Dictionary<string, string>(s.Faults, StringComparer.Ordinal), [.. s.Quarantines.Select(q => q.ToUnixTimeTicks())],
            [.. s.Gaps.SelectMany(g => g.Value.Ranges.Select(r => new GapSnapshot(g.Key, r.From, r.To)))])).ToList();
        var conditions = _conditions
            .Where(c => _fingerprints.ContainsKey(c.Key.Rule))
            .OrderBy(c => c.Key.Rule, StringComparer.Ordinal).ThenBy(c => c.Key.Subject, StringComparer.Ordinal)
            .Select(c => new ConditionSnapshot(c.Key.Rule, _fingerprints[c.Key.Rule], c.Key.Subject, c.Value.Active, c.Value.PendingRaise,
                c.Value.PendingRaise is null ? null : c.Value.PendingSince.ToUnixTimeTicks(), c.Value.PendingValue, c.Value.PendingReason,
                c.Value.PendingFromReading, c.Value.LastValue, c.Value.LastValueAt?.ToUnixTimeTicks(), c.Value.Rate?.Buckets.ToList()))
            .ToList();
        return new RuleEngineSnapshot(RuleEngineSnapshot.CurrentVersion, subjects, conditions);
    }

    /// <summary>
    /// Puts a snapshot's state back (replacing what the engine knew). Conditions of rules that no longer exist are dropped; of rules
    /// whose definition changed, only whether they are raised is kept.
    /// </summary>
    public void Restore(RuleEngineSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (snapshot.Version != RuleEngineSnapshot.CurrentVersion)
            throw new ArgumentException($"snapshot version {snapshot.Version}, this build reads {RuleEngineSnapshot.CurrentVersion}", nameof(snapshot));
        _devices.Clear();
        _agents.Clear();
        _conditions.Clear();
        foreach (var s in snapshot.Subjects)
        {
            var facts = s.Kind == RuleSubjectKind.Device ? DeviceFacts(s.Id, s.Agent) : AgentFacts(s.Id);
            facts.DeviceClass = s.DeviceClass;
            facts.Site = s.Site;
            facts.Restore(s.LastSeen is { } seen ? Instant.FromUnixTimeTicks(seen) : null);
            foreach (var (machine, state) in s.Machines) facts.Machines[machine] = state;
            foreach (var (code, text) in s.Faults) facts.Faults[code] = text;
            facts.Quarantines.AddRange(s.Quarantines.Order().Select(Instant.FromUnixTimeTicks));
            foreach (var gap in s.Gaps) facts.GapsOf(gap.Stream).Add(gap.From, gap.To);
        }

        foreach (var c in snapshot.Conditions)
        {
            if (!_fingerprints.TryGetValue(c.Rule, out var fingerprint)) continue;
            var state = new ConditionState { Active = c.Active };
            _conditions[(c.Rule, c.Subject)] = state;
            if (fingerprint != c.Fingerprint) continue;
            state.PendingRaise = c.PendingRaise;
            state.PendingSince = c.PendingSince is { } since ? Instant.FromUnixTimeTicks(since) : default;
            state.PendingValue = c.PendingValue;
            state.PendingReason = c.PendingReason;
            state.PendingFromReading = c.PendingFromReading;
            state.LastValue = c.LastValue;
            state.LastValueAt = c.LastValueAt is { } at ? Instant.FromUnixTimeTicks(at) : null;
            if (c.Rate is { } buckets && _enabled.First(r => r.Id == c.Rule).Condition is RateOfChangeCondition rate)
            {
                state.Rate = new RateWindow(rate.Window);
                state.Rate.Restore(buckets);
            }
        }
    }

    /// <summary>
    /// Takes a (rule, subject) as raised, without a transition: an open alarm the saved state does not know of (saved after the last
    /// snapshot) is then cleared when the condition is seen to be over. Unknown or disabled rules are ignored.
    /// </summary>
    public void Assume(string ruleId, string subject, RuleSubjectKind kind)
    {
        var rule = _enabled.FirstOrDefault(r => r.Id == ruleId && r.SubjectKind == kind);
        if (rule is null) return;
        var state = StateOf(rule, kind == RuleSubjectKind.Device ? DeviceFacts(subject, null) : AgentFacts(subject));
        if (state.Active) return;
        state.Active = true;
        state.PendingRaise = null;
    }

    /// <summary>The (rule, subject) pairs whose condition is raised now, for reconciling alarms after a restart.</summary>
    public IReadOnlyList<(string Rule, string Subject)> ActiveConditions =>
        [.. _conditions.Where(c => c.Value.Active).Select(c => c.Key).OrderBy(k => k.Rule, StringComparer.Ordinal).ThenBy(k => k.Subject, StringComparer.Ordinal)];
}
