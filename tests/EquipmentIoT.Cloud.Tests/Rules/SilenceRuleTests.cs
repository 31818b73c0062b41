using EquipmentIoT.Cloud.Rules;
using EquipmentIoT.Cloud.Rules.Engine;
using NodaTime;
using static EquipmentIoT.Cloud.Tests.Rules.RuleTestData;

namespace EquipmentIoT.Cloud.Tests.Rules;

public sealed class SilenceRuleTests
{
    private static readonly RuleDefinition DeviceSilent = Rule("silent", new SilenceCondition(Duration.FromMinutes(15), RuleSubjectKind.Device), scope: RuleScope.Everything);
    private static readonly RuleDefinition AgentSilent = Rule("agent-silent", new SilenceCondition(Duration.FromMinutes(5), RuleSubjectKind.Agent), scope: RuleScope.Everything);

    [Fact]
    public void Tick_NoDataForTheSilence_RaisesAtLastSeenPlusTheSilence()
    {
        var clock = Clock();
        var engine = Engine(DeviceSilent);
        engine.Observe(Point("helium_level", clock.GetCurrentInstant(), 70));
        clock.AdvanceMinutes(14);
        Assert.Empty(engine.Tick(clock.GetCurrentInstant()));
        clock.AdvanceMinutes(2);
        var raise = Assert.Single(engine.Tick(clock.GetCurrentInstant()));
        Assert.Equal((RuleTransitionKind.Raise, "mr-01", T0 + Duration.FromMinutes(15)), (raise.Kind, raise.Subject, raise.At));
        Assert.Empty(engine.Tick(clock.GetCurrentInstant() + Duration.FromMinutes(5)));
    }

    [Fact]
    public void Observe_DataAfterSilence_Clears()
    {
        var clock = Clock();
        var engine = Engine(DeviceSilent);
        engine.Observe(Point("helium_level", T0, 70));
        clock.AdvanceMinutes(20);
        Assert.Single(engine.Tick(clock.GetCurrentInstant()));
        var clear = Assert.Single(engine.Observe(State("mr-01", "compressor", "running", clock.GetCurrentInstant())));
        Assert.Equal((RuleTransitionKind.Clear, clock.GetCurrentInstant()), (clear.Kind, clear.At));
    }

    [Fact]
    public void Tick_DeviceNeverSeen_DoesNotRaise()
    {
        var clock = Clock();
        var engine = Engine(DeviceSilent);
        clock.AdvanceHours(2);
        Assert.Empty(engine.Tick(clock.GetCurrentInstant()));
    }

    [Fact]
    public void Tick_AgentSilent_RaisesForTheAgentAndABatchClears()
    {
        var clock = Clock();
        var engine = Engine(AgentSilent);
        engine.ObserveBatch("agent-1", "metrics", 1, T0);
        clock.AdvanceMinutes(6);
        var raise = Assert.Single(engine.Tick(clock.GetCurrentInstant()));
        Assert.Equal(("agent-1", RuleSubjectKind.Agent), (raise.Subject, raise.SubjectKind));
        var clear = Assert.Single(engine.ObserveBatch("agent-1", "metrics", 2, clock.GetCurrentInstant()));
        Assert.Equal(RuleTransitionKind.Clear, clear.Kind);
    }
}
