using EquipmentIoT.Cloud.Rules;
using EquipmentIoT.Cloud.Rules.Engine;
using NodaTime;
using static EquipmentIoT.Cloud.Tests.Rules.RuleTestData;

namespace EquipmentIoT.Cloud.Tests.Rules;

public sealed class RuleEngineSnapshotTests
{
    /// <summary>Two hours of an MR and a printer going wrong, as readings and events at explicit instants.</summary>
    private static IEnumerable<Func<RuleEngine, IReadOnlyList<RuleTransition>>> Script()
    {
        var random = new Random(7);
        for (var minute = 0; minute < 120; minute++)
        {
            var at = T0 + Duration.FromMinutes(minute);
            var helium = 78 - minute * 0.01 + random.NextDouble() * 0.01;
            var water = minute is > 20 and < 70 ? 27.5 : 18 + random.NextDouble();
            yield return e => e.Observe(Point("helium_level", at, helium), "agent-1");
            yield return e => e.Observe(Point("chiller_water_temperature", at, water), "agent-1");
            if (minute == 30) yield return e => e.Observe(State("mr-01", "compressor", "off", at), "agent-1");
            if (minute == 40) yield return e => e.Observe(State("am-01", "printer", "building", at), "agent-1");
            var o2 = minute is > 60 and < 65 ? 1400 : 400;
            if (minute is >= 40 and < 100) yield return e => e.Observe(Point("chamber_o2", at, o2, "am-01"), "agent-1");
            if (minute == 90) yield return e => e.Observe(State("mr-01", "compressor", "running", at), "agent-1");
            yield return e => e.Tick(at + Duration.FromSeconds(30));
        }
    }

    private static RuleEngine NewEngine()
    {
        var rules = RuleDocuments.Defaults().Rules;
        return Engine([.. rules]);
    }

    [Fact]
    public void Restore_SnapshotAtEveryPoint_MakesTheSameDecisionsAsAnEngineThatRanThrough()
    {
        var steps = Script().ToList();
        var reference = NewEngine();
        var expected = steps.SelectMany(s => s(reference)).ToList();
        Assert.Contains(expected, t => t.RuleId == "mr.chiller.water-temperature" && t.Kind == RuleTransitionKind.Raise);
        Assert.Contains(expected, t => t.RuleId == "mr.compressor.off" && t.Kind == RuleTransitionKind.Clear);
        Assert.Contains(expected, t => t.RuleId == "am.chamber.o2-during-build" && t.Kind == RuleTransitionKind.Raise);

        foreach (var cut in new[] { 25, 150, 333, steps.Count / 2, steps.Count - 40 })
        {
            var first = NewEngine();
            var before = steps.Take(cut).SelectMany(s => s(first)).ToList();
            var json = first.Snapshot().ToJson();
            var restarted = new RuleEngine(RuleDocuments.Defaults().Rules);
            restarted.Restore(RuleEngineSnapshot.FromJson(json, out var error) ?? throw new InvalidOperationException(error));
            var after = steps.Skip(cut).SelectMany(s => s(restarted)).ToList();
            Assert.Equal(expected, [.. before, .. after]);
        }
    }

    [Fact]
    public void Restore_ChangedRule_KeepsOnlyWhetherItIsRaised()
    {
        var rule = Rule("chiller", new ThresholdCondition("chiller_water_temperature", ThresholdDirection.Above, 25, 23), raiseAfter: Duration.FromMinutes(5),
            clearAfter: Duration.FromMinutes(10));
        var engine = Engine(rule);
        Feed(engine, "chiller_water_temperature", T0, Duration.FromMinutes(1), [26, 26, 26, 26, 26, 26]);
        engine.Observe(Point("chiller_water_temperature", T0 + Duration.FromMinutes(6), 22));
        var snapshot = engine.Snapshot();

        var changed = new RuleEngine([rule with { ClearAfter = Duration.FromMinutes(1) }]);
        changed.Restore(snapshot);
        Assert.Equal([("chiller", "mr-01")], changed.ActiveConditions);
        // The pending clear was dropped: it starts again under the new definition.
        Assert.Empty(changed.Observe(Point("chiller_water_temperature", T0 + Duration.FromMinutes(7), 22)));
        Assert.Equal(RuleTransitionKind.Clear, Assert.Single(changed.Observe(Point("chiller_water_temperature", T0 + Duration.FromMinutes(8), 22))).Kind);
    }

    [Fact]
    public void SetRules_RemovedRaisedRule_Clears()
    {
        var rule = Rule("chiller", new ThresholdCondition("chiller_water_temperature", ThresholdDirection.Above, 25, 23));
        var engine = Engine(rule);
        Assert.Single(engine.Observe(Point("chiller_water_temperature", T0, 30)));
        var clear = Assert.Single(engine.SetRules([], T0 + Duration.FromMinutes(1)));
        Assert.Equal((RuleTransitionKind.Clear, "the rule was removed or disabled"), (clear.Kind, clear.Reason));
    }

    [Fact]
    public void FromJson_NotASnapshot_ReturnsAReason()
    {
        Assert.Null(RuleEngineSnapshot.FromJson("{\"version\": 99, \"subjects\": [], \"conditions\": []}", out var newer));
        Assert.Contains("version 99", newer, StringComparison.Ordinal);
        Assert.Null(RuleEngineSnapshot.FromJson("[1,2", out var broken));
        Assert.StartsWith("not a rule engine snapshot", broken, StringComparison.Ordinal);
    }
}
