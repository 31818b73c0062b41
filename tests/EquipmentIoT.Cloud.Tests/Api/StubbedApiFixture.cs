using EquipmentIoT.Cloud.Builds;
using EquipmentIoT.Cloud.Notifications;
using EquipmentIoT.Cloud.Rules;
using Microsoft.Extensions.Configuration;
using EquipmentIoT.Cloud.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace EquipmentIoT.Cloud.Tests.Api;

/// <summary>One API host per test class, with real record stores and <see cref="StubTelemetryStores"/> for ledger and series.</summary>
public sealed class StubbedApiFixture : IAsyncLifetime
{
    public StubTelemetryStores Stubs { get; } = new();

    public ApiHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await ApiHost.StartAsync((services, dir) => AddStubbedParts(services, dir, Stubs));

    /// <summary>What the API's endpoints need besides the record stores: <paramref name="stubs"/> as ledger and series, and the parts it maps.</summary>
    public static void AddStubbedParts(IServiceCollection services, string dir, StubTelemetryStores stubs)
    {
        services.AddSingleton<ITelemetryLedger>(stubs);
        services.AddSingleton<ISeriesStore>(stubs);
        services.AddBuilds(dir, runRecorder: false);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Cloud:DataDirectory"] = dir }).Build();
        services.AddNotifications(configuration);
        services.AddRules(configuration);
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
