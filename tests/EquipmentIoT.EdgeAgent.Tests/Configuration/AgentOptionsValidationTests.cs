using System.Runtime.Versioning;
using EquipmentIoT.EdgeAgent.Configuration;
using EquipmentIoT.EdgeAgent.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EquipmentIoT.EdgeAgent.Tests.Configuration;

/// <summary>
/// The shipped example configuration binds and validates; each kind of mistake an engineer can make is
/// refused at start with a message naming the setting. The example is read from the repository, so a
/// change to it that the agent would refuse fails here first.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class AgentOptionsValidationTests
{
    private static readonly string ExampleFile = Path.Combine(RepositoryRoot(), "edge-agent", "examples", "synthetic.json");

    [Fact]
    public void Validate_SyntheticExample_Succeeds()
    {
        var options = Bind();

        Assert.Empty(Failures(options));
        Assert.Equal("demo-agent-01", options.Id);
        Assert.Equal(["mr-01", "ct-02", "am-03"], options.Devices.Select(d => d.Id));
        Assert.Equal(268435456, options.Buffer.MaxBytes);
        Assert.Equal(TimeSpan.FromDays(7), options.Buffer.AcknowledgedRetention);
        Assert.Equal(TimeSpan.FromMinutes(2), options.Devices[1].Synthetic!.FaultEvery);
        Assert.Equal(5, options.Devices[0].Synthetic!.Metrics.Count);
        Assert.True(options.Devices[0].Synthetic!.IncludeFakePatientData);
        Assert.Equal("mqtt", options.Transport.Kind);
    }

    [Fact]
    public void Validate_ComposeStackAgentConfig_Succeeds()
    {
        // The edge agent of docker-compose.yml reads deploy/edge-agent/equipment.json: it must pass the checks the agent runs at start.
        var file = Path.Combine(RepositoryRoot(), "deploy", "edge-agent", "equipment.json");
        var options = new ConfigurationBuilder().AddJsonFile(file, optional: false, reloadOnChange: false).Build()
            .GetSection(AgentOptions.Section).Get<AgentOptions>()!;

        Assert.Empty(Failures(options));
        Assert.Equal(["mr-01", "am-01"], options.Devices.Select(d => d.Id));
    }

    [Fact]
    public void AddAgent_SyntheticExample_OptionsResolveAsAtStart()
    {
        using var services = Services().BuildServiceProvider();

        var options = services.GetRequiredService<IOptions<AgentOptions>>().Value;

        Assert.Equal("demo-agent-01", options.Id);
    }

    [Fact]
    public void AddAgent_BadSetting_OptionsValidationExceptionAtStart()
    {
        using var services = Services(("Agent:Id", "demo agent 01")).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<AgentOptions>>().Value);

        Assert.Contains(error.Failures, f => f.Contains("Agent:Id", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("demo agent 01")]
    [InlineData("")]
    [InlineData("agent/01")]
    public void Validate_BadAgentId_FailureNamesAgentId(string id)
    {
        var failures = Failures(Bind(("Agent:Id", id)));

        Assert.Contains(failures, f => f.Contains("Agent:Id must be 1-64", StringComparison.Ordinal) || f.Contains("AgentOptions.Id field is required", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_AgentIdOf65Characters_Fails()
    {
        Assert.Contains(Failures(Bind(("Agent:Id", new string('a', 65)))), f => f.Contains("Agent:Id must be 1-64", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_DuplicateDeviceIds_FailureNamesTheDevice()
    {
        var failures = Failures(Bind(("Agent:Devices:1:Id", "mr-01")));

        Assert.Contains("Agent:Devices: device id 'mr-01' appears 2 times", failures);
    }

    [Fact]
    public void Validate_UnknownAdapter_FailureNamesDeviceAndAdapter()
    {
        var failures = Failures(Bind(("Agent:Devices:2:Adapter", "modbus")));

        Assert.Contains(failures, f => f.StartsWith("Agent:Devices: device 'am-03' has adapter 'modbus'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http://broker:1883")]
    [InlineData("mqtt://broker/path")]
    [InlineData("broker")]
    public void Validate_BadBrokerUrl_FailureNamesTheBrokerSetting(string broker)
    {
        var failures = Failures(Bind(("Agent:Transport:Mqtt:Broker", broker)));

        Assert.Contains(failures, f => f.StartsWith("Agent:Transport:Mqtt:Broker: ", StringComparison.Ordinal) && f.Contains(broker, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_AzureKindWithoutItsSettings_FailureNamesTheMissingSection()
    {
        var failures = Failures(Bind(("Agent:Transport:Kind", "azure-iot-hub")));

        Assert.Contains("Agent:Transport:Kind is azure-iot-hub but Agent:Transport:AzureIotHub is missing", failures);
    }

    [Fact]
    public void Validate_AzureKindWithoutAKey_FailureFromTheAzureSettings()
    {
        var failures = Failures(Bind(
            ("Agent:Transport:Kind", "azure-iot-hub"),
            ("Agent:Transport:AzureIotHub:HostName", "contoso.azure-devices.net"),
            ("Agent:Transport:AzureIotHub:DeviceId", "demo-agent-01")));

        Assert.Contains(failures, f => f.Contains("Agent:Transport:AzureIotHub", StringComparison.Ordinal)
                                       && f.Contains("set exactly one of SharedAccessKeyFile, SharedAccessKey or CertFile", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_AzureKindComplete_Succeeds()
    {
        var failures = Failures(Bind(
            ("Agent:Transport:Kind", "azure-iot-hub"),
            ("Agent:Transport:AzureIotHub:HostName", "contoso.azure-devices.net"),
            ("Agent:Transport:AzureIotHub:DeviceId", "demo-agent-01"),
            ("Agent:Transport:AzureIotHub:SharedAccessKeyFile", "keys/device.key")));

        Assert.Empty(failures);
    }

    [Fact]
    public void Validate_UnknownTransportKind_FailureNamesTheKind()
    {
        var failures = Failures(Bind(("Agent:Transport:Kind", "amqp")));

        Assert.Contains(failures, f => f.Contains("Agent:Transport:Kind must be mqtt or azure-iot-hub", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Agent:Batch:MaxPoints", "0", "AgentOptions.Batch.MaxPoints must be between 1 and 100000")]
    [InlineData("Agent:Batch:MaxAge", "00:00:00.001", "AgentOptions.Batch.MaxAge must be between")]
    [InlineData("Agent:Buffer:ThinningThreshold", "1.5", "AgentOptions.Buffer.ThinningThreshold must be between 0.1 and 1")]
    [InlineData("Agent:Health:Interval", "00:00:00", "AgentOptions.Health.Interval must be between")]
    [InlineData("Agent:Devices:0:Synthetic:Interval", "00:00:00", "AgentOptions.Devices[0].Synthetic.Interval must be between")]
    public void Validate_NestedSettingOutOfRange_FailureNamesIt(string key, string value, string name)
    {
        var failures = Failures(Bind((key, value)));

        Assert.Contains(failures, f => f.Contains(name, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_SeveralMistakes_EveryOneReported()
    {
        var failures = Failures(Bind(("Agent:Devices:1:Id", "mr-01"), ("Agent:Transport:Mqtt:Broker", "http://x"), ("Agent:Devices:2:Adapter", "serial")));

        Assert.Equal(3, failures.Count);
    }

    private static AgentOptions Bind(params (string Key, string? Value)[] overrides) =>
        Configuration(overrides).GetSection(AgentOptions.Section).Get<AgentOptions>()
        ?? throw new InvalidOperationException($"no section {AgentOptions.Section} in {ExampleFile}");

    private static IConfigurationRoot Configuration((string Key, string? Value)[] overrides) => new ConfigurationBuilder()
        .AddJsonFile(ExampleFile, optional: false, reloadOnChange: false)
        .AddInMemoryCollection(overrides.Select(o => new KeyValuePair<string, string?>(o.Key, o.Value)))
        .Build();

    private static ServiceCollection Services(params (string Key, string? Value)[] overrides)
    {
        var services = new ServiceCollection();
        services.AddAgent(Configuration(overrides));
        return services;
    }

    /// <summary>What the agent checks at start: the annotations (source-generated) and the cross-setting rules.</summary>
    private static List<string> Failures(AgentOptions options)
    {
        var failures = new List<string>();
        foreach (var validator in new IValidateOptions<AgentOptions>[] { new AgentOptionsValidator(), new AgentOptionsRules() })
        {
            var result = validator.Validate(Options.DefaultName, options);
            if (result.Failed) failures.AddRange(result.Failures ?? []);
        }

        return failures;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "EquipmentIoT.sln"))) return directory.FullName;
        }

        throw new InvalidOperationException($"EquipmentIoT.sln not found above {AppContext.BaseDirectory}");
    }
}
