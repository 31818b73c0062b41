using EquipmentIoT.Cloud.Alarms;
using EquipmentIoT.Cloud.Rules;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EquipmentIoT.Cloud.Tests.Rules;

public sealed class RulesRegistrationTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("eqiot-rules-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
    }

    private ServiceProvider Build(Dictionary<string, string?> settings)
    {
        settings["Cloud:DataDirectory"] = _data;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging();
        services.AddSqliteRecordStores(_data);
        services.AddRules(configuration);
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task AddRules_GoodConfiguration_LoadsDefaultsFilesAndDefinitions()
    {
        var file = Path.Combine(_data, "site.yaml");
        await File.WriteAllTextAsync(file, "- { id: site.gantry, severity: minor, scope: { class: ct }, threshold: { metric: gantry_temperature, above: 30 } }\n");
        await using var provider = Build(new()
        {
            ["Rules:Files:0"] = file,
            ["Rules:Definitions:0:id"] = "mr.helium.low",
            ["Rules:Definitions:0:enabled"] = "false",
            ["Rules:Definitions:0:severity"] = "major",
            ["Rules:Definitions:0:threshold:metric"] = "helium_level",
            ["Rules:Definitions:0:threshold:below"] = "60",
            ["Alarms:EscalateCritical"] = "5m, 30m",
        });
        await provider.InitializeStoresAsync(CancellationToken.None);
        var runtime = provider.GetRequiredService<RuleRuntime>();
        await runtime.InitializeAsync(CancellationToken.None);
        var defaults = RuleDocuments.Defaults().Rules.Count;
        Assert.Equal(defaults + 1, runtime.Rules.Count);
        Assert.False(runtime.Rules.Single(r => r.Id == "mr.helium.low").Enabled);
        Assert.Contains(runtime.Rules, r => r.Id == "site.gantry");
        var policy = provider.GetRequiredService<AlarmManager>().Policy;
        Assert.Equal([NodaTime.Duration.FromMinutes(5), NodaTime.Duration.FromMinutes(30)], policy.EscalationOf(AlarmSeverity.Critical));
        Assert.Equal(2, provider.GetServices<IStoreInitializer>().Count(s => s is SqliteRuleStore or SqliteAlarmStore));
    }

    [Fact]
    public async Task AddRules_BadRuleOrEscalation_FailsValidationNamingIt()
    {
        await using var provider = Build(new()
        {
            ["Rules:Files:0"] = Path.Combine(_data, "missing.yaml"),
            ["Rules:Definitions:0:id"] = "cfg.o2",
            ["Rules:Definitions:0:severity"] = "critical",
            ["Rules:Definitions:0:threshold:metric"] = "chamber_o2",
            ["Rules:Definitions:0:threshold:above"] = "lots",
            ["Alarms:EscalateMajor"] = "2h, 1h",
        });
        var rules = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<RulesOptions>>().Value);
        Assert.Contains(rules.Failures, f => f.Contains("missing.yaml: cannot read the rules file", StringComparison.Ordinal));
        Assert.Contains(rules.Failures, f => f.Contains("rule 'cfg.o2': threshold.above: must be a number, not 'lots'", StringComparison.Ordinal));
        var alarms = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<AlarmOptions>>().Value);
        Assert.Contains("Alarms:EscalateMajor: delays must grow", alarms.Message, StringComparison.Ordinal);
    }
}
