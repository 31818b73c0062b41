using System.Runtime.Versioning;
using EquipmentIoT.EdgeAgent.Adapters.Serial;
using EquipmentIoT.EdgeAgent.Profiles;
using EquipmentIoT.Protocols.Serial.Framing;

namespace EquipmentIoT.EdgeAgent.Tests.Adapters.Serial;

/// <summary>The 'serial' profile section through <see cref="ProfileLoader.Parse"/>: good profiles and errors with their lines.</summary>
[SupportedOSPlatform("linux")]
public sealed class SerialProfileTests
{
    [Fact]
    public void Parse_FullExample_EveryFieldRead()
    {
        var result = ProfileLoader.Parse("ct.yaml", SerialProfiles.Ct);

        Assert.True(result.Success, string.Join("\n", result.Describe()));
        var serial = result.Profile!.Serial!;
        Assert.Equal(("ascii", 64, "crlf"), (serial.Encoding, serial.MaxLineLength, serial.LineEnding));
        Assert.Equal(3, serial.Lines.Count);
        var kv = serial.Lines[0];
        Assert.Equal(("^STAT ", "key-value", "="), (kv.Match, kv.Grammar, kv.KeyValueSeparator));
        Assert.Equal(("T", "tube_temperature", "Cel", 0.1, -1.0), (kv.Metrics[0].Field, kv.Metrics[0].MetricName, kv.Metrics[0].Unit, kv.Metrics[0].Scale, kv.Metrics[0].Offset));
        Assert.Equal(("kv", "kv"), (kv.Metrics[1].Field, kv.Metrics[1].MetricName));
        Assert.Equal("state", kv.States[0].StateName);
        Assert.Equal("scanning", kv.States[0].Map["SCN"]);
        Assert.Equal(["0", "OK", ""], kv.Faults[0].Clear);
        Assert.Equal("tube overtemperature", kv.Faults[0].Text["E101"]);
        Assert.Equal("critical", kv.Faults[0].Severity);
        var csv = serial.Lines[1];
        Assert.Equal(["-", "tag", "tube_temp", "kv", "-", "gantry", "fault"], csv.Columns);
        Assert.Equal("gantry", csv.States[0].StateName);
        Assert.Equal(["", "0", "OK"], csv.Faults[0].Clear);
        Assert.Equal("major", csv.Faults[0].Severity);
        Assert.Equal(@"^(?<state>\w+) T=(?<tube_temperature>[-\d.]+)$", serial.Lines[2].Pattern);
        var framer = serial.ToFramerOptions();
        Assert.Equal(("ascii", 64, LineEnding.CrLf), (framer.Encoding, framer.MaxLineLength, framer.LineEnding));
    }

    [Theory]
    [InlineData("encoding: ascii", "encoding: ebcdic", 4, "serial.encoding 'ebcdic'")]
    [InlineData("maxLineLength: 64", "maxLineLength: 8", 4, "serial.maxLineLength 8 must be between 16 and 65536")]
    [InlineData("maxLineLength: 64", "maxLineLength: 70000", 4, "serial.maxLineLength 70000")]
    [InlineData("lineEnding: crlf", "lineEnding: cr", 4, "serial.lineEnding 'cr'")]
    [InlineData("match: '^STAT '", "match: '^STAT ('", 9, "'match' is not a valid regex")]
    [InlineData("grammar: key-value", "grammar: xml", 9, "'grammar' 'xml' is not one of")]
    [InlineData("keyValueSeparator: '='", "keyValueSeparator: ''", 9, "'keyValueSeparator' must not be empty")]
    [InlineData("- field: T\n", "- field: ''\n", 13, "metric: 'field' is required")]
    [InlineData("name: tube_temperature", "name: 'tube temperature'", 13, "metric name 'tube temperature'")]
    [InlineData("scale: 0.1", "scale: 0", 13, "'scale' must be a finite, non-zero number")]
    [InlineData("name: tube_temperature", "name: kv", 18, "metric 'kv' appears twice in this rule")]
    [InlineData("columns: ['-', tag, tube_temp, kv, '-', gantry, fault]", "columns: ['-', tag, tube_temp, kv, '-', gantry]", 39, "field 'fault' is not one of the csv columns")]
    [InlineData("columns: ['-', tag, tube_temp, kv, '-', gantry, fault]", "columns: []", 29, "csv: 'columns' (field names by position) is required")]
    [InlineData("columns: ['-', tag, tube_temp, kv, '-', gantry, fault]", "columns: ['-', tag, tag, kv, '-', gantry, fault, tube_temp]", 29, "column 'tag' is named twice")]
    [InlineData(@"pattern: '^(?<state>\w+) T=(?<tube_temperature>[-\d.]+)$'", @"pattern: '^(?<state>\w+) T=(?<temp>[-\d.]+)$'", 44, "field 'tube_temperature' is not a named group of the pattern (state, temp)")]
    [InlineData(@"pattern: '^(?<state>\w+) T=(?<tube_temperature>[-\d.]+)$'", @"pattern: '^(?<state>\w+ T=(?<tube_temperature>[-\d.]+)$'", 41, "regex: 'pattern' is not a valid regex")]
    [InlineData("columns: ['-', tag, tube_temp, kv, '-', gantry, fault]", "columns: ['-', tag, tube_temp, kv, ~, gantry, fault]", 29, "csv: every column needs a name")]
    [InlineData("      metrics:\n        - field: tube_temp\n", "      metrics:\n        -\n        - field: tube_temp\n", 29, "an entry of 'metrics', 'states' or 'faults' is empty")]
    [InlineData("severity: critical", "severity: ''", 24, "fault: 'severity' must not be empty")]
    public void Parse_OneMistake_ErrorOnItsLine(string good, string bad, int line, string message)
    {
        Assert.Contains(good, SerialProfiles.Ct, StringComparison.Ordinal);
        var result = ProfileLoader.Parse("ct.yaml", SerialProfiles.Ct.Replace(good, bad, StringComparison.Ordinal));

        Assert.False(result.Success);
        var error = Assert.Single(result.Errors);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(line, error.Line);
        Assert.StartsWith($"ct.yaml:{line}: ", result.Describe().Single(), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NoRulesAndARuleReadingNothing_BothReported()
    {
        const string yaml = """
            profile: p
            kind: ct
            serial:
              lines: []
            """;
        var empty = ProfileLoader.Parse("p.yaml", yaml);
        var nothing = ProfileLoader.Parse("p.yaml", yaml.Replace("lines: []", "lines:\n    - grammar: key-value", StringComparison.Ordinal));

        Assert.Equal((4, "serial.lines needs at least one rule"), (empty.Errors.Single().Line, empty.Errors.Single().Message));
        Assert.Equal((5, "the rule reads nothing: give 'metrics', 'states' or 'faults'"), (nothing.Errors.Single().Line, nothing.Errors.Single().Message));
    }

    [Fact]
    public void Parse_UnknownKey_Refused()
    {
        var result = ProfileLoader.Parse("ct.yaml", SerialProfiles.Ct.Replace("maxLineLength: 64", "maxLineLen: 64", StringComparison.Ordinal));

        Assert.False(result.Success);
        Assert.Equal(5, result.Errors.Single().Line);
    }
}
