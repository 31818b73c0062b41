using System.Runtime.Versioning;
using EquipmentIoT.EdgeAgent.Adapters.Serial;
using EquipmentIoT.EdgeAgent.Tests.Collection;
using EquipmentIoT.Protocols.Telemetry.Model;
using NodaTime;

namespace EquipmentIoT.EdgeAgent.Tests.Adapters.Serial;

/// <summary>Key-value, csv and regex lines through <see cref="SerialLineInterpreter"/>: metrics, state and fault transitions, bad fields.</summary>
[SupportedOSPlatform("linux")]
public sealed class SerialLineInterpreterTests
{
    private static readonly Instant T0 = Instant.FromUtc(2026, 12, 2, 8, 0);

    private readonly SerialLineInterpreter _interpreter = new("ct-01", SerialProfiles.Load());
    private readonly RecordingSink _sink = new();

    [Fact]
    public void Interpret_KeyValueLine_ScaledMetricsFirstStateAndFault()
    {
        var result = _interpreter.Interpret("STAT T=415 kv=120 S=SCN F=E101", T0, _sink);

        Assert.Equal(new SerialLineResult(SerialLineOutcome.Used), result);
        Assert.Equal(
            [new MetricPoint("ct-01", "tube_temperature", "Cel", T0, 40.5), new MetricPoint("ct-01", "kv", "kV", T0, 120)],
            _sink.Metrics.Select(m => m with { Value = Math.Round(m.Value, 9) }));
        Assert.Equal(2, _sink.Events.Count);
        AssertEvent(_sink.Events[0], EventTypes.State, ("state", "scanning"));
        AssertEvent(_sink.Events[1], EventTypes.Fault, ("code", "E101"), ("active", true), ("severity", "critical"), ("text", "tube overtemperature"));
    }

    [Fact]
    public void Interpret_StateRepeatedThenChangedThenUnmapped_EventsOnlyOnChangeWithPrevious()
    {
        _interpreter.Interpret("STAT S=RDY", T0, _sink);
        _interpreter.Interpret("STAT S=RDY", T0, _sink);
        _interpreter.Interpret("STAT S=SCN", T0, _sink);
        _interpreter.Interpret("STAT S=Warmup", T0, _sink);

        var states = _sink.Events.Where(e => e.Type == EventTypes.State).ToList();
        Assert.Equal(3, states.Count);
        AssertEvent(states[0], EventTypes.State, ("state", "ready"));
        AssertEvent(states[1], EventTypes.State, ("state", "scanning"), ("previous", "ready"));
        AssertEvent(states[2], EventTypes.State, ("state", "warmup"), ("previous", "scanning"));
    }

    [Fact]
    public void Interpret_FaultRaisedReplacedCleared_ActiveAndInactiveEvents()
    {
        foreach (var f in new[] { "0", "E101", "E101", "E202", "OK", "0" })
        {
            _interpreter.Interpret($"STAT F={f}", T0, _sink);
        }

        var faults = _sink.Events.Select(e => (e.Data["code"].ToString(), e.Data["active"] == true)).ToList();
        Assert.Equal([("E101", true), ("E101", false), ("E202", true), ("E202", false)], faults);
        Assert.False(_sink.Events[2].Data.ContainsKey("text"));
    }

    [Fact]
    public void Interpret_EmptyFaultValue_ClearsWhenListedAsClear()
    {
        _interpreter.Interpret("STAT F=E7", T0, _sink);
        _interpreter.Interpret("STAT F=", T0, _sink);

        Assert.Equal([true, false], _sink.Events.Select(e => e.Data["active"] == true));
    }

    [Fact]
    public void Interpret_NonNumericAndMissingFields_CountedRestOfLineUsed()
    {
        var result = _interpreter.Interpret("STAT T=hot S=RDY", T0, _sink);

        Assert.Equal(new SerialLineResult(SerialLineOutcome.Used, MissingFields: 2, NonNumericFields: 1), result);
        Assert.Empty(_sink.Metrics);
        AssertEvent(Assert.Single(_sink.Events), EventTypes.State, ("state", "ready"));
    }

    [Theory]
    [InlineData("STAT T=NaN kv=Infinity")]
    [InlineData("STAT T=1e400 kv=-1e999")]
    public void Interpret_NonFiniteNumbers_CountedAsNotNumeric(string line)
    {
        var result = _interpreter.Interpret(line, T0, _sink);

        Assert.Equal(2, result.NonNumericFields);
        Assert.Empty(_sink.Metrics);
    }

    [Fact]
    public void Interpret_StateValueLongerThan64_CountedInvalid()
    {
        var result = _interpreter.Interpret("STAT S=" + new string('X', 65), T0, _sink);

        Assert.Equal(1, result.InvalidValues);
        Assert.Empty(_sink.Events);
    }

    [Fact]
    public void Interpret_CsvLine_ColumnsByPositionSecondStateMachine()
    {
        var result = _interpreter.Interpret("CSV, CT1 ,41.5,120,ignored,PARK,0", T0, _sink);

        Assert.Equal(new SerialLineResult(SerialLineOutcome.Used), result);
        Assert.Equal([new MetricPoint("ct-01", "tube_temp", null, T0, 41.5)], _sink.Metrics);
        AssertEvent(Assert.Single(_sink.Events), EventTypes.State, ("state", "park"), ("machine", "gantry"));
    }

    [Fact]
    public void Interpret_CsvLineShort_MissingColumnsCounted()
    {
        var result = _interpreter.Interpret("CSV,CT1,41.5", T0, _sink);

        Assert.Equal(new SerialLineResult(SerialLineOutcome.Used, MissingFields: 2), result);
        Assert.Single(_sink.Metrics);
    }

    [Fact]
    public void Interpret_RegexLine_NamedGroupsAreFields()
    {
        var result = _interpreter.Interpret("READY T=-3.5", T0, _sink);

        Assert.Equal(SerialLineOutcome.Used, result.Outcome);
        Assert.Equal([new MetricPoint("ct-01", "tube_temperature", "Cel", T0, -3.5)], _sink.Metrics);
        AssertEvent(Assert.Single(_sink.Events), EventTypes.State, ("state", "ready"));
    }

    [Theory]
    [InlineData("HELLO")]
    [InlineData("READY T=warm")]
    [InlineData("")]
    public void Interpret_NoRuleFits_Unmatched(string line)
    {
        Assert.Equal(SerialLineOutcome.Unmatched, _interpreter.Interpret(line, T0, _sink).Outcome);
        Assert.Empty(_sink.Metrics);
        Assert.Empty(_sink.Events);
    }

    [Fact]
    public void Interpret_CatastrophicBacktracking_RegexTimeoutNotHang()
    {
        var profile = SerialProfiles.Load("""
            profile: p
            kind: ct
            serial:
              lines:
                - grammar: regex
                  pattern: '^(?<v>(\w+\s?)+)$'
                  states: [{ field: v }]
            """);
        var interpreter = new SerialLineInterpreter("ct-01", profile);

        var result = interpreter.Interpret(new string('a', 40) + "!", T0, _sink);

        Assert.Equal(SerialLineOutcome.RegexTimeout, result.Outcome);
    }

    [Fact]
    public void Interpret_KeyValueWithPairSeparator_SplitsOnIt()
    {
        var profile = SerialProfiles.Load("""
            profile: p
            kind: ct
            serial:
              lines:
                - grammar: key-value
                  pairSeparator: ';'
                  keyValueSeparator: ':'
                  metrics: [{ field: helium level, name: helium_level, unit: '%' }]
            """);
        var interpreter = new SerialLineInterpreter("mr-01", profile);

        interpreter.Interpret("mode: idle; helium level: 71.5 ;x", T0, _sink);

        Assert.Equal([new MetricPoint("mr-01", "helium_level", "%", T0, 71.5)], _sink.Metrics);
    }

    [Fact]
    public void Constructor_InvalidProfile_ArgumentException()
    {
        var profile = new SerialProfile { Lines = [new SerialLineRule { Grammar = "xml" }] };

        var e = Assert.Throws<ArgumentException>(() => new SerialLineInterpreter("ct-01", profile));
        Assert.Contains("'grammar' 'xml'", e.Message, StringComparison.Ordinal);
    }

    private static void AssertEvent(TelemetryEvent e, string type, params (string Key, EventValue Value)[] data)
    {
        Assert.Equal(("ct-01", type, T0), (e.Device, e.Type, e.Timestamp));
        Assert.Equal(data.ToDictionary(d => d.Key, d => d.Value), e.Data);
    }
}
