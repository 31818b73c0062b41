using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace EquipmentIoT.IntegrationTests.Cloud;

/// <summary>
/// The real embedded stores (SQLite ledger, series and registry) on one data directory, registered as the
/// cloud host registers them. The one place that names their implementations.
/// </summary>
internal static class CloudTestStores
{
    /// <summary>Registers ITelemetryLedger, ISeriesStore and IRegistryStore (and the other record stores) on files in <paramref name="dataDirectory"/>.</summary>
    public static void Add(IServiceCollection services, string dataDirectory)
    {
        services.AddSqliteRecordStores(dataDirectory);
        services.AddSqliteTelemetryStores(dataDirectory);
    }

    /// <summary>Runs every store's migrations (IStoreInitializer) before the host starts.</summary>
    public static Task InitializeAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.InitializeStoresAsync(cancellationToken);
}
