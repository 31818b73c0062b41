using EquipmentIoT.Cloud.Rules;
using EquipmentIoT.Cloud.Rules.Engine;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Protocols.Telemetry.Model;
using NodaTime;
using static EquipmentIoT.Cloud.Tests.Rules.RuleTestData;

namespace EquipmentIoT.Cloud.Tests.Rules;

public sealed class IntegrityRuleTests
{
    private static readonly RuleDefinition Quarantine = Rule("quarantine", new IntegrityCondition(IntegrityCheck.Quarantined, 2, Duration.FromHours(1)), scope: RuleScope.Everything);
    private static readonly RuleDefinition Gaps = Rule("gaps", new IntegrityCondition(IntegrityCheck.OpenGaps, 1, Duration.FromHours(1)), scope: RuleScope.Everything);

    private static StoredEvent Integrity(string type, Instant at, long? from = null, long? to = null)
    {
        var data = new Dictionary<string, EventValue> { ["stream"] = "metrics", ["reason"] = "test" };
        if (from is { } f) data["from"] = f;
        if (to is { } t) data["to"] = t;
        return new StoredEvent(1, "agent-1", "agent-1", type, at, data, null);
    }

    [Fact]
    public void Observe_QuarantinesReachingTheCount_RaiseAndClearWhenTheyLeaveTheWindow()
    {
        var clock = Clock();
        var engine = Engine(Quarantine);
        Assert.Empty(engine.Observe(Integrity(IntegrityEventTypes.Quarantined, T0)));
        var raise = Assert.Single(engine.Observe(Integrity(IntegrityEventTypes.Quarantined, T0 + Duration.FromMinutes(10))));
        Assert.Equal(("agent-1", RuleSubjectKind.Agent, 2.0), (raise.Subject, raise.SubjectKind, raise.Value!.Value));
        clock.AdvanceMinutes(30);
        Assert.Empty(engine.Tick(clock.GetCurrentInstant()));
        clock.AdvanceMinutes(31);
        Assert.Equal(RuleTransitionKind.Clear, Assert.Single(engine.Tick(clock.GetCurrentInstant())).Kind);
    }

    [Fact]
    public void ObserveBatch_GapFilledBatchByBatch_ClearsWhenTheLastMissingBatchArrives()
    {
        var engine = Engine(Gaps);
        var raise = Assert.Single(engine.Observe(Integrity(IntegrityEventTypes.GapDetected, T0, 5, 7)));
        Assert.Equal(3.0, raise.Value);
        Assert.Empty(engine.ObserveBatch("agent-1", "metrics", 6, T0 + Duration.FromSeconds(1)));
        Assert.Empty(engine.ObserveBatch("agent-1", "events", 5, T0 + Duration.FromSeconds(1)));
        Assert.Empty(engine.ObserveBatch("agent-1", "metrics", 5, T0 + Duration.FromSeconds(2)));
        var clear = Assert.Single(engine.ObserveBatch("agent-1", "metrics", 7, T0 + Duration.FromSeconds(3)));
        Assert.Equal((RuleTransitionKind.Clear, 0.0), (clear.Kind, clear.Value!.Value));
    }

    [Fact]
    public void Observe_GapReportedUnavailable_Clears()
    {
        var engine = Engine(Gaps);
        engine.Observe(Integrity(IntegrityEventTypes.GapDetected, T0, 10, 20));
        Assert.Empty(engine.Observe(Integrity(IntegrityEventTypes.GapUnavailable, T0 + Duration.FromMinutes(1), 10, 15)));
        Assert.Single(engine.Observe(Integrity(IntegrityEventTypes.GapUnavailable, T0 + Duration.FromMinutes(2), 16, 20)));
    }

    [Fact]
    public void Tick_GapRuleWithRaiseAfter_RaisesOnlyWhenTheGapStaysOpen()
    {
        var clock = Clock();
        var engine = Engine(Gaps with { RaiseAfter = Duration.FromMinutes(30) });
        engine.Observe(Integrity(IntegrityEventTypes.GapDetected, T0, 3, 3));
        clock.AdvanceMinutes(29);
        Assert.Empty(engine.Tick(clock.GetCurrentInstant()));
        clock.AdvanceMinutes(1);
        Assert.Single(engine.Tick(clock.GetCurrentInstant()));
    }
}
