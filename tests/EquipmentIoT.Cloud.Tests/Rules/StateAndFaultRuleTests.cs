using EquipmentIoT.Cloud.Rules;
using EquipmentIoT.Cloud.Rules.Engine;
using NodaTime;
using static EquipmentIoT.Cloud.Tests.Rules.RuleTestData;

namespace EquipmentIoT.Cloud.Tests.Rules;

public sealed class StateAndFaultRuleTests
{
    private static readonly RuleScope Printers = new(DeviceClass: "am-printer");
    private static readonly RuleDefinition PrinterFault = Rule("printer-fault", new StateCondition("printer", ["fault"]), scope: Printers);
    private static readonly RuleDefinition RecoaterJam = Rule("jam", new FaultCondition(["RECOATER_JAM"]), scope: Printers);
    private static readonly RuleDefinition O2DuringBuild = Rule("o2", new ThresholdCondition("chamber_o2", ThresholdDirection.Above, 1000, 800),
        guard: new StateGuard("printer", ["building"]), scope: Printers);

    [Fact]
    public void Observe_PrinterStateFault_RaisesAndLeavingItClears()
    {
        var engine = Engine(PrinterFault);
        Assert.Empty(engine.Observe(State("am-01", "printer", "building", T0)));
        var raise = Assert.Single(engine.Observe(State("am-01", "printer", "fault", T0 + Duration.FromMinutes(1))));
        Assert.Equal((RuleTransitionKind.Raise, "printer is fault"), (raise.Kind, raise.Reason));
        Assert.Equal(RuleTransitionKind.Clear, Assert.Single(engine.Observe(State("am-01", "printer", "idle", T0 + Duration.FromMinutes(3)))).Kind);
    }

    [Fact]
    public void Observe_StateOfAnotherMachine_DoesNotMatch()
    {
        var engine = Engine(PrinterFault);
        Assert.Empty(engine.Observe(State("am-01", "laser", "fault", T0)));
    }

    [Fact]
    public void Tick_StateRuleWithRaiseAfter_RaisesWhenTheStateHeldLongEnough()
    {
        var clock = Clock();
        var engine = Engine(Rule("compressor", new StateCondition("compressor", ["off"]), raiseAfter: Duration.FromMinutes(2)));
        Assert.Empty(engine.Observe(State("mr-01", "compressor", "off", T0)));
        clock.AdvanceMinutes(1);
        Assert.Empty(engine.Tick(clock.GetCurrentInstant()));
        // Hours later still: a state holds until the next state event (no reading to grow old).
        clock.AdvanceHours(3);
        Assert.Equal(T0 + Duration.FromMinutes(2), Assert.Single(engine.Tick(clock.GetCurrentInstant())).At);
    }

    [Fact]
    public void Observe_FaultCodeActiveThenInactive_RaisesAndClears()
    {
        var engine = Engine(RecoaterJam);
        Assert.Empty(engine.Observe(Fault("am-01", "LASER_FAULT", true, T0)));
        var raise = Assert.Single(engine.Observe(Fault("am-01", "RECOATER_JAM", true, T0 + Duration.FromSeconds(5))));
        Assert.Equal("fault RECOATER_JAM (recoater_jam) active", raise.Reason);
        var clear = Assert.Single(engine.Observe(Fault("am-01", "RECOATER_JAM", false, T0 + Duration.FromMinutes(4))));
        Assert.Equal(RuleTransitionKind.Clear, clear.Kind);
    }

    [Fact]
    public void Observe_AnyCodeRule_StaysRaisedWhileAnyCodeIsActive()
    {
        var engine = Engine(Rule("any", new FaultCondition([FaultCondition.AnyCode]), scope: Printers));
        Assert.Single(engine.Observe(Fault("am-01", "O2_HIGH", true, T0)));
        Assert.Empty(engine.Observe(Fault("am-01", "LASER_FAULT", true, T0 + Duration.FromSeconds(1))));
        Assert.Empty(engine.Observe(Fault("am-01", "O2_HIGH", false, T0 + Duration.FromSeconds(2))));
        Assert.Single(engine.Observe(Fault("am-01", "LASER_FAULT", false, T0 + Duration.FromSeconds(3))));
    }

    [Fact]
    public void Observe_O2HighWhileIdle_DoesNotRaise()
    {
        var engine = Engine(O2DuringBuild);
        engine.Observe(State("am-01", "printer", "idle", T0));
        Assert.Empty(Feed(engine, "chamber_o2", T0, Duration.FromSeconds(1), Enumerable.Repeat(209_000.0, 120), "am-01"));
    }

    [Fact]
    public void Observe_O2HighWhileBuilding_RaisesAndEndOfBuildClears()
    {
        var engine = Engine(O2DuringBuild);
        engine.Observe(State("am-01", "printer", "building", T0));
        Assert.Empty(engine.Observe(Point("chamber_o2", T0 + Duration.FromSeconds(1), 350, "am-01")));
        var raise = Assert.Single(engine.Observe(Point("chamber_o2", T0 + Duration.FromSeconds(2), 1500, "am-01")));
        Assert.Equal(RuleTransitionKind.Raise, raise.Kind);
        var clear = Assert.Single(engine.Observe(State("am-01", "printer", "finished", T0 + Duration.FromSeconds(3))));
        Assert.Equal("applies only while printer is building; it is finished", clear.Reason);
        Assert.Empty(engine.Observe(Point("chamber_o2", T0 + Duration.FromSeconds(4), 1500, "am-01")));
    }

    [Fact]
    public void Observe_BuildStartsWithO2AlreadyHigh_RaisesOnTheStateChange()
    {
        var engine = Engine(O2DuringBuild);
        engine.Observe(State("am-01", "printer", "preparing", T0));
        Assert.Empty(engine.Observe(Point("chamber_o2", T0 + Duration.FromSeconds(1), 1500, "am-01")));
        Assert.Single(engine.Observe(State("am-01", "printer", "building", T0 + Duration.FromSeconds(2))));
    }
}
