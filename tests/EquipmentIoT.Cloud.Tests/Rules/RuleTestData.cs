using EquipmentIoT.Cloud.Alarms;
using EquipmentIoT.Cloud.Rules;
using EquipmentIoT.Cloud.Rules.Engine;
using EquipmentIoT.Protocols.Telemetry.Model;
using NodaTime;
using NodaTime.Testing;

namespace EquipmentIoT.Cloud.Tests.Rules;

/// <summary>Rules, readings and events for the engine tests, at explicit instants from <see cref="T0"/>.</summary>
internal static class RuleTestData
{
    public static readonly Instant T0 = Instant.FromUtc(2026, 3, 2, 8, 0);

    public static FakeClock Clock() => new(T0);

    public static RuleDefinition Rule(string id, RuleCondition condition, Duration raiseAfter = default, Duration clearAfter = default,
        StateGuard? guard = null, RuleScope? scope = null, AlarmSeverity severity = AlarmSeverity.Major) =>
        new(id, null, scope ?? new RuleScope(DeviceClass: "mr"), severity, condition, guard, raiseAfter, clearAfter);

    public static RuleEngine Engine(params RuleDefinition[] rules)
    {
        var engine = new RuleEngine(rules);
        engine.SetDevice(new DeviceInfo("mr-01", "mr", "site-a", "agent-1"));
        engine.SetDevice(new DeviceInfo("am-01", "am-printer", "site-a", "agent-1"));
        engine.SetDevice(new DeviceInfo("ct-01", "ct", "site-b", "agent-2"));
        return engine;
    }

    public static MetricPoint Point(string metric, Instant at, double value, string device = "mr-01", MetricQuality quality = MetricQuality.Good) =>
        new(device, metric, null, at, value, quality);

    public static TelemetryEvent State(string device, string machine, string state, Instant at) =>
        new(device, EventTypes.State, at, new Dictionary<string, EventValue> { ["state"] = state, ["machine"] = machine });

    public static TelemetryEvent Fault(string device, string code, bool active, Instant at) =>
        new(device, EventTypes.Fault, at, new Dictionary<string, EventValue> { ["code"] = code, ["active"] = active, ["text"] = code.ToLowerInvariant() });

    /// <summary>Feeds readings one a <paramref name="step"/> and returns every transition.</summary>
    public static List<RuleTransition> Feed(RuleEngine engine, string metric, Instant start, Duration step, IEnumerable<double> values, string device = "mr-01")
    {
        var transitions = new List<RuleTransition>();
        var at = start;
        foreach (var v in values)
        {
            transitions.AddRange(engine.Observe(Point(metric, at, v, device), "agent-1"));
            at += step;
        }

        return transitions;
    }
}
