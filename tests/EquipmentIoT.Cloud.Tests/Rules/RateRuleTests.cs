using EquipmentIoT.Cloud.Rules;
using EquipmentIoT.Cloud.Rules.Engine;
using NodaTime;
using static EquipmentIoT.Cloud.Tests.Rules.RuleTestData;

namespace EquipmentIoT.Cloud.Tests.Rules;

public sealed class RateRuleTests
{
    // The shipped helium loss rule: 0.5 %/day over 6 h.
    private static readonly RuleDefinition HeliumLoss = Rule("he-loss",
        new RateOfChangeCondition("helium_level", RateDirection.Falling, 0.5, 0.3, Duration.FromDays(1), Duration.FromHours(6), 30));

    /// <summary>Helium from 78 %, falling <paramref name="percentPerDay"/>, one reading a minute with Gaussian noise (σ 0.02, fixed seed), rounded as the monitor's 0.01 % register.</summary>
    private static IEnumerable<double> Helium(double percentPerDay, int minutes, int seed = 20260302)
    {
        var random = new Random(seed);
        for (var i = 0; i < minutes; i++)
        {
            var gaussian = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            yield return Math.Round(78 - percentPerDay * i / 1440.0 + 0.02 * gaussian, 2);
        }
    }

    [Fact]
    public void Observe_HeliumFalling0point6PerDay_Raises()
    {
        var engine = Engine(HeliumLoss);
        var transitions = Feed(engine, "helium_level", T0, Duration.FromMinutes(1), Helium(0.6, 8 * 60));
        var raise = Assert.Single(transitions);
        Assert.Equal(RuleTransitionKind.Raise, raise.Kind);
        Assert.InRange(raise.Value!.Value, 0.5, 0.75);
        // Not before the window is half covered.
        Assert.True(raise.At >= T0 + Duration.FromHours(3), $"raised at {raise.At}");
        Assert.StartsWith("helium_level falling 0.", raise.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Observe_HeliumFalling0point3PerDay_DoesNotRaise()
    {
        var engine = Engine(HeliumLoss);
        Assert.Empty(Feed(engine, "helium_level", T0, Duration.FromMinutes(1), Helium(0.3, 12 * 60)));
    }

    [Fact]
    public void Observe_LeakStops_ClearsWhenTheWindowSlopeFallsBelowTheClearRate()
    {
        var engine = Engine(HeliumLoss);
        var leak = Helium(3.0, 6 * 60).ToList();
        var after = Enumerable.Repeat(leak[^1], 12 * 60).Select(v => (double)v);
        var transitions = Feed(engine, "helium_level", T0, Duration.FromMinutes(1), leak.Concat(after));
        Assert.Equal([RuleTransitionKind.Raise, RuleTransitionKind.Clear], transitions.Select(t => t.Kind));
        Assert.True(transitions[1].Value <= 0.3);
    }

    [Fact]
    public void Observe_FewReadings_SaysNothing()
    {
        var engine = Engine(HeliumLoss);
        // A steep fall but only 20 readings (the rule wants 30).
        Assert.Empty(Feed(engine, "helium_level", T0, Duration.FromMinutes(15), Enumerable.Range(0, 20).Select(i => 78 - i * 0.5)));
    }

    [Fact]
    public void Observe_RisingRule_RaisesOnARise()
    {
        var engine = Engine(Rule("rise", new RateOfChangeCondition("magnet_room_temperature", RateDirection.Rising, 2, 2, Duration.FromHours(1),
            Duration.FromMinutes(30), 10)));
        var transitions = Feed(engine, "magnet_room_temperature", T0, Duration.FromMinutes(1), Enumerable.Range(0, 40).Select(i => 21 + i * 0.05));
        Assert.Equal(3.0, Assert.Single(transitions).Value!.Value, 6);
    }
}
