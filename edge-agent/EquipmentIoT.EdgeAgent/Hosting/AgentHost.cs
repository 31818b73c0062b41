using EquipmentIoT.EdgeAgent.Adapters.Modbus;
using EquipmentIoT.EdgeAgent.Adapters.Mpps;
using EquipmentIoT.EdgeAgent.Adapters.Serial;
using EquipmentIoT.EdgeAgent.Adapters.Synthetic;
using EquipmentIoT.EdgeAgent.Batching;
using EquipmentIoT.EdgeAgent.Buffer;
using EquipmentIoT.EdgeAgent.Collection;
using EquipmentIoT.EdgeAgent.Configuration;
using EquipmentIoT.EdgeAgent.Health;
using EquipmentIoT.EdgeAgent.Privacy;
using EquipmentIoT.EdgeAgent.Profiles;
using EquipmentIoT.EdgeAgent.Publishing;
using EquipmentIoT.EdgeAgent.Signing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using NodaTime;

namespace EquipmentIoT.EdgeAgent.Hosting;

/// <summary>
/// Builds the agent's host: configuration from the JSON file, then environment variables prefixed
/// <c>EQIOT_</c> (e.g. <c>EQIOT_Agent__Transport__Mqtt__Broker</c>), then the command line's
/// <c>--broker</c>/<c>--data</c>; validated at start; one-line UTC logs on stderr.
/// </summary>
public static class AgentHost
{
    /// <summary>Builds the host for <c>eqiot agent run</c>.</summary>
    public static IHost Build(string configFile, IReadOnlyDictionary<string, string?> overrides)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration
            .AddJsonFile(Path.GetFullPath(configFile), optional: false, reloadOnChange: false)
            .AddEnvironmentVariables("EQIOT_")
            .AddInMemoryCollection(overrides);
        builder.Logging
            .AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning)
            .AddConfiguration(builder.Configuration.GetSection("Logging"))
            .AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            });
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        builder.Services.AddAgent(builder.Configuration);
        return builder.Build();
    }

    /// <summary>Registers the agent's parts.</summary>
    public static IServiceCollection AddAgent(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AgentOptions>().Bind(configuration.GetSection(AgentOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AgentOptions>, AgentOptionsValidator>();
        services.AddSingleton<IValidateOptions<AgentOptions>, AgentOptionsRules>();
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IClock>(SystemClock.Instance);
        services.AddSingleton<AgentCounters>();
        services.AddSingleton(_ => new SystemdNotifier());
        services.AddSingleton(sp =>
        {
            var o = Agent(sp);
            return DurableBuffer.Open(BufferOptionsFrom(o), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<DurableBuffer>>());
        });
        services.AddSingleton(sp => new SigningKeyProvider(Agent(sp).Resolve(Agent(sp).KeyFile), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<AgentCounters>(), sp.GetRequiredService<ILogger<SigningKeyProvider>>()));
        services.AddSingleton(sp => PhiScrubberFactory.Create(Agent(sp), sp.GetRequiredService<AgentCounters>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<PhiScrubber>>()));
        services.AddSingleton<TelemetryPipeline>(sp => ActivatorUtilities.CreateInstance<TelemetryPipeline>(sp, Agent(sp)));
        // Devices on one RS-485 line or one TCP gateway share its master; RTU runs over our termios serial port.
        services.AddSingleton(sp => new ModbusBusRegistry(ModbusSerialLine.Factory(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new AdapterSupervisor(CreateAdapters(sp), sp.GetRequiredService<AgentCounters>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<AdapterSupervisor>>()));
        services.AddSingleton<HealthReporter>(sp => ActivatorUtilities.CreateInstance<HealthReporter>(sp, Agent(sp)));
        services.AddSingleton<ITelemetryTransport>(CreateTransport);
        services.AddSingleton(sp => new Forwarder(sp.GetRequiredService<DurableBuffer>(), sp.GetRequiredService<ITelemetryTransport>(),
            sp.GetRequiredService<AgentCounters>(), Math.Max(2, Agent(sp).Transport.Mqtt.MaxInflight * 2), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<Forwarder>>()));
        services.AddSingleton<CommandDispatcher>();
        services.AddHostedService<AgentWorker>();
        return services;
    }

    private static AgentOptions Agent(IServiceProvider sp) => sp.GetRequiredService<IOptions<AgentOptions>>().Value;

    private static BufferOptions BufferOptionsFrom(AgentOptions o) => new()
    {
        Directory = o.Resolve("buffer"),
        MaxBytes = o.Buffer.MaxBytes,
        SegmentBytes = o.Buffer.SegmentBytes,
        AcknowledgedRetention = o.Buffer.AcknowledgedRetention,
        ThinningThreshold = o.Buffer.WhenFull == FullPolicy.Drop ? 1.0 : o.Buffer.ThinningThreshold,
    };

    private static ITelemetryTransport CreateTransport(IServiceProvider sp)
    {
        var o = Agent(sp);
        var time = sp.GetRequiredService<TimeProvider>();
        var offline = sp.GetRequiredService<HealthReporter>().Build("offline");
        return o.Transport.Kind switch
        {
            "azure-iot-hub" => new AzureIotHubTransport(WithResolvedPaths(o, o.Transport.AzureIotHub!), time, sp.GetRequiredService<ILogger<AzureIotHubTransport>>()),
            _ => new MqttBrokerTransport(o, offline, time, sp.GetRequiredService<ILogger<MqttBrokerTransport>>()),
        };
    }

    // Key, certificate and CA files may be given relative to the data directory, like the agent's own key.
    private static AzureIotHubTransportOptions WithResolvedPaths(AgentOptions agent, AzureIotHubTransportOptions hub)
    {
        hub.SharedAccessKeyFile = agent.ResolveOptional(hub.SharedAccessKeyFile);
        hub.CertFile = agent.ResolveOptional(hub.CertFile);
        hub.KeyFile = agent.ResolveOptional(hub.KeyFile);
        hub.CaFile = agent.ResolveOptional(hub.CaFile);
        return hub;
    }

    private static List<IDeviceAdapter> CreateAdapters(IServiceProvider sp)
    {
        var options = Agent(sp);
        var clock = sp.GetRequiredService<IClock>();
        var time = sp.GetRequiredService<TimeProvider>();
        var logs = sp.GetRequiredService<ILoggerFactory>();
        var catalog = ProfileCatalog.For(options);
        var adapters = new List<IDeviceAdapter>();
        var profiled = new List<(DeviceOptions Device, DeviceProfile Profile)>();
        foreach (var d in options.Devices)
        {
            if (d.EffectiveAdapter == "synthetic")
            {
                adapters.Add(new SyntheticAdapter(d.Id, d.Kind, d.Synthetic ?? new SyntheticDeviceOptions(), clock, time));
                continue;
            }

            // Validated at start (AgentOptionsRules): the profile loads and the device has each section's connection.
            var profile = catalog.Load(d.Profile!).Profile!;
            profiled.Add((d, profile));
            if (profile.Serial is { } serial)
            {
                adapters.Add(new SerialAdapter(d.Id, d.Serial!, serial, clock, time, logs.CreateLogger<SerialAdapter>()));
            }

            if (profile.Modbus is { } modbus)
            {
                adapters.Add(new ModbusAdapter(d.Id, modbus, d.Modbus!, sp.GetRequiredService<ModbusBusRegistry>(), clock, time, logs.CreateLogger<ModbusAdapter>()));
            }
        }

        // One MPPS listener serves every modality; a step is the device's whose AE titles it carries.
        var mppsDevices = profiled.Where(p => p.Profile.Mpps is not null).ToList();
        if (mppsDevices.Count > 0)
        {
            adapters.Add(new MppsAdapter(DeviceConnections.MppsListener(options, mppsDevices),
                mppsDevices.ToDictionary(p => p.Device.Id, p => p.Profile.Mpps!, StringComparer.Ordinal), clock, time, logs));
        }

        return adapters;
    }
}
