using EquipmentIoT.Cloud.Alarms;
using EquipmentIoT.Cloud.Rules;
using EquipmentIoT.Cloud.Rules.Parsing;
using Microsoft.Extensions.Configuration;
using NodaTime;

namespace EquipmentIoT.Cloud.Tests.Rules;

public sealed class RuleReaderTests
{
    private const string Site = """
        rules:
          - id: site.helium
            description: Helium low at our site
            scope: { device: mr-01 }
            severity: critical
            threshold: { metric: helium_level, below: 65, clear: 67 }
            raiseAfter: 00:05:00
            clearAfter: 10m
          - id: site.o2
            scope: { class: am-printer }
            severity: major
            threshold: { metric: chamber_o2, above: 900 }
            while: { machine: printer, in: [building, paused] }
        """;

    [Fact]
    public void ParseYaml_SiteRules_ReadsEveryField()
    {
        var read = RuleDocuments.ParseYaml(Site, "site.yaml");
        Assert.True(read.Success, string.Join("\n", read.Errors));
        var helium = read.Rules[0];
        Assert.Equal(("site.helium", "Helium low at our site", AlarmSeverity.Critical), (helium.Id, helium.Description, helium.Severity));
        Assert.Equal(new RuleScope(Device: "mr-01"), helium.Scope);
        Assert.Equal(new ThresholdCondition("helium_level", ThresholdDirection.Below, 65, 67), helium.Condition);
        Assert.Equal((Duration.FromMinutes(5), Duration.FromMinutes(10)), (helium.RaiseAfter, helium.ClearAfter));
        var o2 = read.Rules[1];
        Assert.Equal(900, ((ThresholdCondition)o2.Condition).Clear);
        Assert.Equal("printer", o2.While!.Machine);
        Assert.Equal(["building", "paused"], o2.While.States);
    }

    [Theory]
    [InlineData("threshold: { metric: helium_level, below: sixty }", "site.yaml:3: rule 'r1': threshold.below: must be a number, not 'sixty'")]
    [InlineData("threshold: { metric: helium_level, below: 60, clear: 50 }", "rule 'r1': threshold.clear: must be at least the raise level 60")]
    [InlineData("threshold: { metric: helium_level, above: 60, below: 50 }", "rule 'r1': threshold.below: a threshold has exactly one of above or below")]
    [InlineData("threshold: { metric: helium_level, below: 60, clera: 61 }", "rule 'r1': threshold.clera: is not a field here (a typo?)")]
    [InlineData("threshold: { metric: 'helium level', below: 60 }", "rule 'r1': threshold.metric: 'helium level' is not a valid name")]
    [InlineData("rate: { metric: helium_level, falling: 0.5, window: six hours }", "rule 'r1': rate.window: must be a duration such as 90s, 15m, 6h, 1d or 00:15:00, not 'six hours'")]
    [InlineData("rate: { metric: helium_level, falling: 0.5, clear: 0.7, window: 6h }", "rule 'r1': rate.clear: must be from 0 to the limit 0.5")]
    [InlineData("silence: { after: 0s }", "rule 'r1': silence.after: must be longer than zero")]
    [InlineData("state: { machine: printer }", "rule 'r1': state.in: must be a name or a non-empty list of names")]
    [InlineData("integrity: { check: everything }", "rule 'r1': integrity.check: must be one of quarantined, opengaps, not 'everything'")]
    [InlineData("fault: { codes: [] }", "rule 'r1': fault.codes: must be a name or a non-empty list of names")]
    [InlineData("threshold: { metric: helium_level, below: 60 }\n    silence: { after: 5m }", "rule 'r1': threshold/silence: a rule has exactly one of")]
    public void ParseYaml_BadRule_NamesTheRuleAndTheField(string condition, string expected)
    {
        var yaml = $"- id: r1\n  severity: major\n  {condition}\n".Replace("\n    ", "\n  ", StringComparison.Ordinal);
        var read = RuleDocuments.ParseYaml(yaml, "site.yaml");
        Assert.Empty(read.Rules);
        Assert.Contains(read.Errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void ParseYaml_MissingIdSeverityAndBadScope_ReportsEach()
    {
        var read = RuleDocuments.ParseYaml("""
            - scope: { class: mr, device: mr-01 }
              severity: fatal
              silence: { after: 5m }
            - id: agent.x
              severity: minor
              scope: { class: mr }
              integrity: { check: quarantined }
            """, "x.yaml");
        Assert.Empty(read.Rules);
        Assert.Contains("x.yaml:1: id: is required", read.Errors);
        Assert.Contains(read.Errors, e => e.Contains("severity: must be one of critical, major, minor, warning, not 'fatal'", StringComparison.Ordinal));
        Assert.Contains(read.Errors, e => e.Contains("scope.class: a scope names one of class, device or agent", StringComparison.Ordinal));
        Assert.Contains(read.Errors, e => e.Contains("rule 'agent.x': scope: a integrity rule watches agents", StringComparison.Ordinal));
    }

    [Fact]
    public void ParseYaml_DuplicateIdsAndSyntaxErrors_AreErrors()
    {
        var duplicate = RuleDocuments.ParseYaml("- { id: a, severity: minor, silence: { after: 5m } }\n- { id: a, severity: minor, silence: { after: 6m } }\n", "d.yaml");
        Assert.Single(duplicate.Rules);
        Assert.Contains(duplicate.Errors, e => e.Contains("rule 'a': id: is used by an earlier rule", StringComparison.Ordinal));
        var broken = RuleDocuments.ParseYaml("- id: [a\n", "b.yaml");
        Assert.StartsWith("b.yaml:", Assert.Single(broken.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void ParseJson_SameShape_ReadsWithJsonPathsInErrors()
    {
        var read = RuleDocuments.ParseJson("""
            { "rules": [
              { "id": "j1", "severity": "warning", "fault": { "codes": ["E101"] } },
              { "id": "j2", "severity": "warning", "threshold": { "metric": "tube_heat", "above": "hot" } } ] }
            """, "api");
        Assert.Equal("j1", Assert.Single(read.Rules).Id);
        Assert.Equal("api $.rules[1].threshold.above: rule 'j2': threshold.above: must be a number, not 'hot'", Assert.Single(read.Errors));
    }

    [Fact]
    public void FromConfiguration_RulesAsKeys_ReadLikeAFile()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Rules:Definitions:0:id"] = "cfg.gantry",
            ["Rules:Definitions:0:severity"] = "Minor",
            ["Rules:Definitions:0:scope:class"] = "ct",
            ["Rules:Definitions:0:threshold:metric"] = "gantry_temperature",
            ["Rules:Definitions:0:threshold:above"] = "30",
            ["Rules:Definitions:0:threshold:clear"] = "28",
            ["Rules:Definitions:1:id"] = "cfg.bad",
            ["Rules:Definitions:1:severity"] = "minor",
            ["Rules:Definitions:1:silence:after"] = "soon",
        }).Build();
        var read = RuleDocuments.FromConfiguration(configuration.GetSection("Rules:Definitions"));
        Assert.Equal(new ThresholdCondition("gantry_temperature", ThresholdDirection.Above, 30, 28), Assert.Single(read.Rules).Condition);
        Assert.Equal("Rules:Definitions:1:silence:after: rule 'cfg.bad': silence.after: must be a duration such as 90s, 15m, 6h, 1d or 00:15:00, not 'soon'",
            Assert.Single(read.Errors));
    }

    [Fact]
    public void RuleWriter_EveryShippedRule_ReadsBackEqual()
    {
        foreach (var rule in RuleDocuments.Defaults().Rules)
        {
            var json = RuleWriter.ToJson(rule);
            var back = Assert.Single(RuleDocuments.ParseJson($"[{json}]", rule.Id).Rules);
            Assert.Equal(json, RuleWriter.ToJson(back));
            Assert.Equal(RuleWriter.Fingerprint(rule), RuleWriter.Fingerprint(back));
        }
    }

    [Fact]
    public void Merge_LaterLayerWithTheSameId_ReplacesTheRule()
    {
        var defaults = RuleDocuments.Defaults().Rules;
        var site = RuleDocuments.ParseYaml("- { id: mr.helium.low, severity: minor, enabled: false, threshold: { metric: helium_level, below: 55 } }", "s.yaml").Rules;
        var merged = RuleDocuments.Merge(defaults, site);
        Assert.Equal(defaults.Count, merged.Count);
        var helium = merged.Single(r => r.Id == "mr.helium.low");
        Assert.False(helium.Enabled);
        Assert.Equal(defaults.Select(r => r.Id), merged.Select(r => r.Id));
    }
}
