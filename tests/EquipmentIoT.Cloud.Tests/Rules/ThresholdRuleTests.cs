using EquipmentIoT.Cloud.Rules;
using EquipmentIoT.Cloud.Rules.Engine;
using EquipmentIoT.Protocols.Telemetry.Model;
using NodaTime;
using static EquipmentIoT.Cloud.Tests.Rules.RuleTestData;

namespace EquipmentIoT.Cloud.Tests.Rules;

public sealed class ThresholdRuleTests
{
    private static readonly RuleDefinition ChillerHot = Rule("chiller", new ThresholdCondition("chiller_water_temperature", ThresholdDirection.Above, 25, 23));

    [Fact]
    public void Observe_ValuesWanderingBetweenClearAndRaiseLevels_RaiseOnceAndNeverToggle()
    {
        var engine = Engine(ChillerHot);
        var values = new[] { 20, 26, 24.9, 23.5, 25, 24, 23.1, 24.8, 23.01 };
        var transitions = Feed(engine, "chiller_water_temperature", T0, Duration.FromSeconds(10), values.Select(v => (double)v));
        var raise = Assert.Single(transitions);
        Assert.Equal(RuleTransitionKind.Raise, raise.Kind);
        Assert.Equal(T0 + Duration.FromSeconds(10), raise.At);
        Assert.Equal(26, raise.Value);
        Assert.Equal("chiller_water_temperature 26 above 25", raise.Reason);
        Assert.Equal(("mr", "site-a"), (raise.DeviceClass, raise.Site));
    }

    [Fact]
    public void Observe_ValueBelowClearLevel_Clears()
    {
        var engine = Engine(ChillerHot);
        var transitions = Feed(engine, "chiller_water_temperature", T0, Duration.FromSeconds(10), [26, 24, 22.9, 24, 25]);
        Assert.Equal([RuleTransitionKind.Raise, RuleTransitionKind.Clear], transitions.Select(t => t.Kind));
        Assert.Equal(T0 + Duration.FromSeconds(20), transitions[1].At);
    }

    [Fact]
    public void Observe_BelowDirection_RaisesUnderAndClearsOver()
    {
        var engine = Engine(Rule("he", new ThresholdCondition("helium_level", ThresholdDirection.Below, 60, 61)));
        var transitions = Feed(engine, "helium_level", T0, Duration.FromMinutes(1), [62, 59.9, 60.5, 61.2]);
        Assert.Equal([RuleTransitionKind.Raise, RuleTransitionKind.Clear], transitions.Select(t => t.Kind));
        Assert.Equal([59.9, 61.2], transitions.Select(t => t.Value!.Value));
    }

    [Fact]
    public void Observe_RaiseAfter_RaisesOnlyWhenHeldForTheWholeDelay()
    {
        var engine = Engine(ChillerHot with { RaiseAfter = Duration.FromMinutes(2) });
        // Above for 90 s, a dip to the hysteresis band resets the wait, then above for 2 min.
        var values = new double[] { 26, 26, 26, 26, 24, 26, 26, 26, 26, 26 };
        var transitions = Feed(engine, "chiller_water_temperature", T0, Duration.FromSeconds(30), values);
        var raise = Assert.Single(transitions);
        Assert.Equal(T0 + Duration.FromSeconds(150 + 120), raise.At);
    }

    [Fact]
    public void Observe_ClearAfter_ClearsOnlyWhenClearForTheWholeDelay()
    {
        var engine = Engine(ChillerHot with { ClearAfter = Duration.FromMinutes(5) });
        var start = T0;
        var transitions = Feed(engine, "chiller_water_temperature", start, Duration.FromMinutes(1), [26, 22, 22, 22, 22, 26, 22, 22, 22, 22, 22, 22]);
        Assert.Equal([RuleTransitionKind.Raise, RuleTransitionKind.Clear], transitions.Select(t => t.Kind));
        // The clear wait started again at minute 6 and completed at minute 11.
        Assert.Equal(start + Duration.FromMinutes(11), transitions[1].At);
    }

    [Fact]
    public void Tick_PendingRaiseWithRecentReading_CompletesAtItsDueTime()
    {
        var clock = Clock();
        var engine = Engine(ChillerHot with { RaiseAfter = Duration.FromMinutes(2) });
        Assert.Empty(engine.Observe(Point("chiller_water_temperature", T0, 27)));
        clock.AdvanceMinutes(1);
        Assert.Empty(engine.Tick(clock.GetCurrentInstant()));
        clock.AdvanceMinutes(1);
        var raise = Assert.Single(engine.Tick(clock.GetCurrentInstant()));
        Assert.Equal(T0 + Duration.FromMinutes(2), raise.At);
    }

    [Fact]
    public void Tick_PendingRaiseWhoseReadingIsTooOld_DoesNotComplete()
    {
        var clock = Clock();
        var engine = Engine(ChillerHot with { RaiseAfter = Duration.FromMinutes(2) });
        engine.Observe(Point("chiller_water_temperature", T0, 27));
        clock.AdvanceMinutes(10);
        Assert.Empty(engine.Tick(clock.GetCurrentInstant()));
    }

    [Fact]
    public void Observe_BadQualityAndOtherDevicesOrClasses_AreIgnored()
    {
        var engine = Engine(ChillerHot);
        Assert.Empty(engine.Observe(Point("chiller_water_temperature", T0, 30, quality: MetricQuality.Bad)));
        Assert.Empty(engine.Observe(Point("chiller_water_temperature", T0, 30, device: "ct-01")));
        Assert.Empty(engine.Observe(Point("chiller_water_temperature", T0, 30, device: "unknown-01")));
        Assert.Single(engine.Observe(Point("chiller_water_temperature", T0, 30, quality: MetricQuality.Uncertain)));
    }

    [Fact]
    public void Observe_LateReading_IsNotEvaluated()
    {
        var engine = Engine(ChillerHot);
        Assert.Empty(engine.Observe(Point("chiller_water_temperature", T0 + Duration.FromMinutes(1), 20)));
        Assert.Empty(engine.Observe(Point("chiller_water_temperature", T0, 30)));
    }

    [Fact]
    public void Observe_DeviceScope_AppliesToThatDeviceOnly()
    {
        var engine = Engine(ChillerHot with { Scope = new RuleScope(Device: "ct-01") });
        Assert.Empty(engine.Observe(Point("chiller_water_temperature", T0, 30)));
        Assert.Equal("ct-01", Assert.Single(engine.Observe(Point("chiller_water_temperature", T0, 30, device: "ct-01"))).Subject);
    }
}
