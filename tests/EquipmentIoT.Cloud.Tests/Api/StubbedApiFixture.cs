using EquipmentIoT.Cloud.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace EquipmentIoT.Cloud.Tests.Api;

/// <summary>One API host per test class, with real record stores and <see cref="StubTelemetryStores"/> for ledger and series.</summary>
public sealed class StubbedApiFixture : IAsyncLifetime
{
    public StubTelemetryStores Stubs { get; } = new();

    public ApiHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await ApiHost.StartAsync((services, _) =>
    {
        services.AddSingleton<ITelemetryLedger>(Stubs);
        services.AddSingleton<ISeriesStore>(Stubs);
    });

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
