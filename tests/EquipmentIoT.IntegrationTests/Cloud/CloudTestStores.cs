using Microsoft.Extensions.DependencyInjection;

namespace EquipmentIoT.IntegrationTests.Cloud;

/// <summary>
/// The real embedded stores (SQLite ledger, series and registry) on one data directory, registered as the
/// cloud host registers them. The one place that names their implementations.
/// </summary>
internal static class CloudTestStores
{
    /// <summary>Registers ITelemetryLedger, ISeriesStore and IRegistryStore on files in <paramref name="dataDirectory"/>.</summary>
    public static void Add(IServiceCollection services, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        // The SQLite ledger and series store (branch h1) and registry (branch h3) are not on main yet: until they
        // are merged these tests cannot run. Then: services.AddSqliteRecordStores(dataDirectory) and the ledger's
        // and series store's registration on the same directory.
        throw new NotSupportedException("the SQLite ledger, series and registry stores are not on main yet");
    }

    /// <summary>Runs every store's migrations (IStoreInitializer) before the host starts.</summary>
    public static Task InitializeAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        return Task.CompletedTask;
    }
}
