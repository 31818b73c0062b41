using System.Runtime.Versioning;
using EquipmentIoT.Cloud.Hosting;
using EquipmentIoT.Cloud.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace EquipmentIoT.Bench.CloudIngest;

/// <summary>
/// The cloud's embedded stores of a data directory, registered as the cloud registers them
/// (<see cref="CloudComposition.AddCloudStores"/>) and migrated, without the rest of the cloud: to register
/// agents before the cloud starts, to fill a directory through the ledger and series store directly, and to
/// count what a restored directory holds.
/// </summary>
[SupportedOSPlatform("linux")]
internal sealed class BenchStores : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private BenchStores(ServiceProvider services) => _services = services;

    public ITelemetryLedger Ledger => _services.GetRequiredService<ITelemetryLedger>();

    public ISeriesStore Series => _services.GetRequiredService<ISeriesStore>();

    public IRegistryStore Registry => _services.GetRequiredService<IRegistryStore>();

    public static async Task<BenchStores> OpenAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        var services = new ServiceCollection()
            .AddLogging(logging => logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning))
            .AddCloudStores(dataDirectory)
            .BuildServiceProvider();
        try
        {
            await services.InitializeStoresAsync(cancellationToken).ConfigureAwait(false);
            return new BenchStores(services);
        }
        catch
        {
            await services.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public Task<AgentRecord> RegisterAsync(string agentId, string publicKeyPem, CancellationToken cancellationToken) =>
        Registry.AddAgentAsync(new NewAgent(agentId, publicKeyPem, null, "simulated by eqiot-bench", SystemClock.Instance.GetCurrentInstant()),
            cancellationToken);

    /// <summary>Points the series store holds, summed over every series.</summary>
    public async Task<long> SeriesPointsAsync(CancellationToken cancellationToken) =>
        (await Series.SeriesAsync(null, cancellationToken).ConfigureAwait(false)).Sum(s => s.Points);

    /// <summary>Closes the stores and every pooled connection, so that the WAL is checkpointed into the .db files.</summary>
    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync().ConfigureAwait(false);
        SqliteConnection.ClearAllPools();
    }
}
