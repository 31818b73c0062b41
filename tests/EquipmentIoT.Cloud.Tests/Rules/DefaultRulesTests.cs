using EquipmentIoT.Cloud.Rules;
using YamlDotNet.RepresentationModel;

namespace EquipmentIoT.Cloud.Tests.Rules;

/// <summary>The shipped rules load, and name only metrics, state machines, states and fault codes that the shipped profiles send.</summary>
public sealed class DefaultRulesTests
{
    [Fact]
    public void Defaults_Load_WithoutErrors()
    {
        var read = RuleDocuments.Defaults();
        Assert.True(read.Success, string.Join("\n", read.Errors));
        Assert.True(read.Rules.Count >= 15);
        string[] expected =
        [
            "mr.helium.low", "mr.helium.loss-rate", "mr.helium.pressure-high", "mr.compressor.off", "mr.chiller.water-temperature",
            "mr.room.temperature", "mr.room.humidity-high", "ct.tube.oil-temperature", "am.chamber.o2-during-build", "am.chamber.temperature",
        ];
        Assert.All(expected, id => Assert.Contains(read.Rules, r => r.Id == id));
    }

    [Fact]
    public void Defaults_EveryRule_ReferencesWhatTheShippedProfilesSend()
    {
        var profiles = ShippedProfile.LoadAll();
        Assert.Equal(["am-printer", "ct", "mr"], profiles.Keys.Order(StringComparer.Ordinal));
        foreach (var rule in RuleDocuments.Defaults().Rules)
        {
            var scoped = rule.Scope.DeviceClass is { } c
                ? [Assert.Contains(c, (IReadOnlyDictionary<string, ShippedProfile>)profiles)]
                : profiles.Values.ToList();
            if (rule.Condition.Metric is { } metric)
                Assert.True(scoped.All(p => p.Metrics.Contains(metric)), $"{rule.Id}: metric {metric} is not in the profile of class {rule.Scope.DeviceClass}");
            if (rule.Condition is StateCondition state) AssertStates(rule.Id, scoped, state.Machine, state.States);
            if (rule.While is { } guard) AssertStates(rule.Id, scoped, guard.Machine, guard.States);
            if (rule.Condition is FaultCondition fault)
                Assert.True(fault.Codes.All(code => scoped.All(p => p.FaultCodes.Contains(code))), $"{rule.Id}: fault codes {string.Join(",", fault.Codes)}");
        }
    }

    private static void AssertStates(string rule, List<ShippedProfile> profiles, string machine, IReadOnlyList<string> states)
    {
        foreach (var p in profiles)
        {
            Assert.True(p.Machines.TryGetValue(machine, out var known), $"{rule}: no state machine '{machine}' in {p.Kind}");
            Assert.True(states.All(known!.Contains), $"{rule}: states {string.Join(",", states)} not all in {string.Join(",", known!)}");
        }
    }
}

/// <summary>What a profile of edge-agent/profiles sends, read from its YAML as text (not through the agent's code).</summary>
internal sealed record ShippedProfile(string Kind, HashSet<string> Metrics, Dictionary<string, HashSet<string>> Machines, HashSet<string> FaultCodes)
{
    public static Dictionary<string, ShippedProfile> LoadAll()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !Directory.Exists(Path.Combine(directory.FullName, "edge-agent", "profiles"))) directory = directory.Parent;
        Assert.NotNull(directory);
        return Directory.GetFiles(Path.Combine(directory.FullName, "edge-agent", "profiles"), "*.yaml").Select(Load).ToDictionary(p => p.Kind);
    }

    private static ShippedProfile Load(string path)
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(path)));
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        var profile = new ShippedProfile(Scalar(root, "kind")!, [], [], []);
        if (Child(root, "modbus") is YamlMappingNode modbus && Child(modbus, "registers") is YamlSequenceNode registers)
        {
            foreach (var register in registers.Children.Cast<YamlMappingNode>())
            {
                var name = Scalar(register, "name")!;
                switch (Scalar(register, "kind") ?? "metric")
                {
                    case "metric" or "counter": profile.Metrics.Add(name); break;
                    case "state": profile.Machines[name] = Values(Child(register, "states")); break;
                    case "flags":
                        foreach (var flag in ((YamlMappingNode)Child(register, "flags")!).Children.Values.Cast<YamlMappingNode>()) profile.FaultCodes.Add(Scalar(flag, "code")!);
                        break;
                }
            }
        }

        if (Child(root, "serial") is YamlMappingNode serial && Child(serial, "lines") is YamlSequenceNode lines)
        {
            foreach (var line in lines.Children.Cast<YamlMappingNode>())
            {
                foreach (var m in Items(line, "metrics")) profile.Metrics.Add(Scalar(m, "name")!);
                foreach (var s in Items(line, "states")) profile.Machines[Scalar(s, "name") ?? "state"] = Values(Child(s, "map"));
                foreach (var f in Items(line, "faults")) profile.FaultCodes.UnionWith(((YamlMappingNode)Child(f, "text")!).Children.Keys.Select(k => k.ToString()));
            }
        }

        return profile;
    }

    private static YamlNode? Child(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

    private static string? Scalar(YamlMappingNode map, string key) => (Child(map, key) as YamlScalarNode)?.Value;

    private static IEnumerable<YamlMappingNode> Items(YamlMappingNode map, string key) =>
        Child(map, key) is YamlSequenceNode list ? list.Children.Cast<YamlMappingNode>() : [];

    private static HashSet<string> Values(YamlNode? map) => [.. ((YamlMappingNode)map!).Children.Values.Select(v => ((YamlScalarNode)v).Value!)];
}
