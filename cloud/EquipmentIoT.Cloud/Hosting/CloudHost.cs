using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging.Console;

namespace EquipmentIoT.Cloud.Hosting;

/// <summary>
/// Builds the cloud service: embedded defaults, then the JSON file of <c>--config</c>, then environment
/// variables prefixed <c>EQIOT_</c> (<c>EQIOT_Ingestion__Broker</c>), then the command line; validated at start;
/// one-line UTC logs on stderr. The same builder serves <c>eqiot cloud run</c> and the tests.
/// </summary>
public static class CloudHost
{
    /// <summary>What runs with no configuration at all: a local broker, data under .eqiot/cloud, the API on loopback.</summary>
    public static IReadOnlyDictionary<string, string?> EmbeddedDefaults { get; } = new Dictionary<string, string?>
    {
        ["Cloud:DataDirectory"] = CloudPaths.DefaultDataDirectory,
        ["Ingestion:Broker"] = "mqtt://127.0.0.1:1883",
        ["Urls"] = "http://127.0.0.1:8080",
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
        // Quartz narrates every trigger at Information; our jobs log what they decide.
        ["Logging:LogLevel:Quartz"] = "Warning",
        // Each refused request is in the audit log already; one log line per 401 would drown the rest.
        ["Logging:LogLevel:EquipmentIoT.Cloud.Api.Auth.ApiTokenAuthenticationHandler"] = "Warning",
    };

    /// <summary>Builds the service; <paramref name="configFile"/> may be null (embedded defaults only).</summary>
    public static WebApplication Build(string? configFile, IReadOnlyDictionary<string, string?> overrides)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "eqiot-cloud", Args = [] });
        // Our sources only, in our order (the slim builder's appsettings.json and DOTNET_/ASPNETCORE_ defaults are not ours).
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(EmbeddedDefaults);
        if (configFile is not null) builder.Configuration.AddJsonFile(Path.GetFullPath(configFile), optional: false, reloadOnChange: false);
        builder.Configuration.AddEnvironmentVariables("EQIOT_").AddInMemoryCollection(overrides);

        builder.Logging
            .ClearProviders()
            .AddConfiguration(builder.Configuration.GetSection("Logging"))
            .AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            });
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));

        builder.WebHost.UseUrls(builder.Configuration["Urls"]!);
        builder.AddCloud();

        var app = builder.Build();
        app.MapCloud();
        return app;
    }
}
