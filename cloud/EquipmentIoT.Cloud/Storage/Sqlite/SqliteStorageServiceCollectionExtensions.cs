using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EquipmentIoT.Cloud.Storage.Sqlite;

public static class SqliteStorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers the embedded telemetry stores of <paramref name="dataDirectory"/> as singletons:
    /// <see cref="ITelemetryLedger"/> (records.db) and <see cref="ISeriesStore"/> (series.db), each also as an
    /// <see cref="IStoreInitializer"/>, so that the host migrates them with
    /// <see cref="StoreInitializerExtensions.InitializeStoresAsync"/> before ingestion starts.
    /// </summary>
    public static IServiceCollection AddSqliteTelemetryStores(this IServiceCollection services, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        return services.AddSqliteLedger(dataDirectory).AddSqliteSeriesStore(dataDirectory);
    }

    /// <summary>The telemetry ledger alone, in <c>{dataDirectory}/records.db</c> (also an <see cref="IStoreInitializer"/>).</summary>
    public static IServiceCollection AddSqliteLedger(this IServiceCollection services, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        var directory = Path.GetFullPath(dataDirectory);
        services.AddSingleton(sp => SqliteTelemetryLedger.ForDataDirectory(directory, sp.GetRequiredService<ILogger<SqliteTelemetryLedger>>()));
        services.AddSingleton<ITelemetryLedger>(sp => sp.GetRequiredService<SqliteTelemetryLedger>());
        services.AddSingleton<IStoreInitializer>(sp => sp.GetRequiredService<SqliteTelemetryLedger>());
        return services;
    }

    /// <summary>The series store alone, in <c>{dataDirectory}/series.db</c> (also an <see cref="IStoreInitializer"/>).</summary>
    public static IServiceCollection AddSqliteSeriesStore(this IServiceCollection services, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        var directory = Path.GetFullPath(dataDirectory);
        services.AddSingleton(sp => SqliteSeriesStore.ForDataDirectory(directory, sp.GetRequiredService<ILogger<SqliteSeriesStore>>()));
        services.AddSingleton<ISeriesStore>(sp => sp.GetRequiredService<SqliteSeriesStore>());
        services.AddSingleton<IStoreInitializer>(sp => sp.GetRequiredService<SqliteSeriesStore>());
        return services;
    }
}
