using EquipmentIoT.Cloud.Alarms;
using EquipmentIoT.Cloud.Licences;
using EquipmentIoT.Cloud.Licences.Postgres;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EquipmentIoT.Cloud.Storage.Postgres;

public static class PostgresStorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers the record stores on PostgreSQL, configured by section <c>Storage:Postgres</c>
    /// (<see cref="PostgresOptions"/>: ConnectionString, PasswordFile, CommandTimeout, RetryTimeout; validated at
    /// start): <see cref="ITelemetryLedger"/>, <see cref="IRegistryStore"/>, <see cref="IAuditLog"/> and
    /// <see cref="IApiTokenStore"/>, as singletons sharing one <see cref="PostgresDatabase"/> (one connection pool),
    /// each also an <see cref="IStoreInitializer"/> so that <see cref="StoreInitializerExtensions.InitializeStoresAsync"/>
    /// migrates them before serving; and <see cref="IAlarmStore"/> and <see cref="ILicenceStore"/> likewise. Register it
    /// instead of the SQLite ledger and record stores, BEFORE <c>AddRules</c> and <c>AddLicences</c> (they register the SQLite
    /// alarm and licence stores only when none is registered yet), as <c>CloudComposition.AddCloudStores</c> does.
    /// </summary>
    public static IServiceCollection AddPostgresRecordStores(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<PostgresOptions>().Bind(configuration.GetSection(PostgresOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => new PostgresDatabase(sp.GetRequiredService<IOptions<PostgresOptions>>().Value,
            sp.GetService<ILogger<PostgresDatabase>>()));
        services.AddSingleton(sp => new PostgresTelemetryLedger(sp.GetRequiredService<PostgresDatabase>(), sp.GetService<ILogger<PostgresTelemetryLedger>>()));
        services.AddSingleton(sp => new PostgresRegistryStore(sp.GetRequiredService<PostgresDatabase>(), sp.GetService<ILogger<PostgresRegistryStore>>()));
        services.AddSingleton(sp => new PostgresAuditLog(sp.GetRequiredService<PostgresDatabase>()));
        services.AddSingleton(sp => new PostgresApiTokenStore(sp.GetRequiredService<PostgresDatabase>()));
        services.AddSingleton<ITelemetryLedger>(sp => sp.GetRequiredService<PostgresTelemetryLedger>());
        services.AddSingleton<IRegistryStore>(sp => sp.GetRequiredService<PostgresRegistryStore>());
        services.AddSingleton<IAuditLog>(sp => sp.GetRequiredService<PostgresAuditLog>());
        services.AddSingleton<IApiTokenStore>(sp => sp.GetRequiredService<PostgresApiTokenStore>());
        services.AddSingleton<IStoreInitializer>(sp => sp.GetRequiredService<PostgresTelemetryLedger>());
        services.AddSingleton<IStoreInitializer>(sp => sp.GetRequiredService<PostgresRegistryStore>());
        services.AddSingleton<IStoreInitializer>(sp => sp.GetRequiredService<PostgresAuditLog>());
        services.AddSingleton<IStoreInitializer>(sp => sp.GetRequiredService<PostgresApiTokenStore>());
        services.AddSingleton(sp => new PostgresAlarmStore(sp.GetRequiredService<PostgresDatabase>()));
        services.AddSingleton<IAlarmStore>(sp => sp.GetRequiredService<PostgresAlarmStore>());
        services.AddSingleton<IStoreInitializer>(sp => sp.GetRequiredService<PostgresAlarmStore>());
        services.AddSingleton(sp => new PostgresLicenceStore(sp.GetRequiredService<PostgresDatabase>()));
        services.AddSingleton<ILicenceStore>(sp => sp.GetRequiredService<PostgresLicenceStore>());
        services.AddSingleton<IStoreInitializer>(sp => sp.GetRequiredService<PostgresLicenceStore>());
        return services;
    }
}
