using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EquipmentIoT.Cloud.Storage.Sqlite;

/// <summary>Registration of the SQLite record stores (registry, audit log, API tokens) in records.db.</summary>
public static class SqliteRecordStores
{
    /// <summary>The records database in the data directory (shared with the ledger; each component migrates its own tables).</summary>
    public const string RecordsFileName = "records.db";

    /// <summary>
    /// Registers <see cref="IRegistryStore"/>, <see cref="IAuditLog"/> and <see cref="IApiTokenStore"/> on
    /// <c>{dataDirectory}/records.db</c>, each also as an <see cref="IStoreInitializer"/>: call
    /// <see cref="StoreInitializerExtensions.InitializeStoresAsync"/> once at start, before serving, to run their migrations.
    /// </summary>
    public static IServiceCollection AddSqliteRecordStores(this IServiceCollection services, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        var records = new SqliteDatabase(Path.Combine(dataDirectory, RecordsFileName));
        services.AddSingleton(sp => new SqliteRegistryStore(records, sp.GetService<ILogger<SqliteRegistryStore>>()));
        services.AddSingleton(_ => new SqliteAuditLog(records));
        services.AddSingleton(_ => new SqliteApiTokenStore(records));
        services.AddSingleton<IRegistryStore>(sp => sp.GetRequiredService<SqliteRegistryStore>());
        services.AddSingleton<IAuditLog>(sp => sp.GetRequiredService<SqliteAuditLog>());
        services.AddSingleton<IApiTokenStore>(sp => sp.GetRequiredService<SqliteApiTokenStore>());
        services.AddSingleton<IStoreInitializer>(sp => sp.GetRequiredService<SqliteRegistryStore>());
        services.AddSingleton<IStoreInitializer>(sp => sp.GetRequiredService<SqliteAuditLog>());
        services.AddSingleton<IStoreInitializer>(sp => sp.GetRequiredService<SqliteApiTokenStore>());
        return services;
    }
}
