using EquipmentIoT.Cloud.Alarms;
using EquipmentIoT.Cloud.Api;
using EquipmentIoT.Cloud.Notifications;
using EquipmentIoT.Cloud.Rules;
using EquipmentIoT.Cloud.Scheduling;
using EquipmentIoT.Cloud.Builds;
using EquipmentIoT.Cloud.Ingestion;
using EquipmentIoT.Cloud.Licences;
using EquipmentIoT.Cloud.Maintenance;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Storage.Influx;
using EquipmentIoT.Cloud.Storage.Postgres;
using EquipmentIoT.Cloud.Storage.Sqlite;
using EquipmentIoT.Cloud.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Options;
using NodaTime;

namespace EquipmentIoT.Cloud.Hosting;

/// <summary>The cloud's parts and the order they start in: stores (migrated) → ingestion → API.</summary>
public static class CloudComposition
{
    /// <summary>Registers every part of the service from configuration.</summary>
    public static IHostApplicationBuilder AddCloud(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<CloudOptions>().BindConfiguration(CloudOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var dataDirectory = Path.GetFullPath(builder.Configuration[$"{CloudOptions.Section}:{nameof(CloudOptions.DataDirectory)}"] ?? CloudPaths.DefaultDataDirectory);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IClock>(SystemClock.Instance);
        builder.Services.AddCloudStores(builder.Configuration, dataDirectory);
        // Hosted services start in registration order: the stores are migrated before ingestion subscribes.
        builder.Services.AddHostedService<StoreInitializer>();
        builder.Services.AddNotifications(builder.Configuration);
        builder.Services.AddAlarmNotifications();
        builder.Services.AddRules(builder.Configuration);
        builder.Services.AddSingleton<IMaintenanceNotifier, OutboxMaintenanceNotifier>();
        builder.Services.AddMaintenance(builder.Configuration);
        builder.Services.AddLicences();
        builder.Services.AddScheduling(dataDirectory);
        builder.Services.AddIngestion(builder.Configuration);
        builder.Services.AddBuilds(dataDirectory);
        builder.Services.AddCloudApi();
        builder.AddWebUi();
        return builder;
    }

    /// <summary>Maps the HTTP endpoints.</summary>
    public static WebApplication MapCloud(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapCloudApi();
        app.MapNotificationEndpoints();
        app.MapMetrics();
        app.MapWebUi();
        return app;
    }

    /// <summary>
    /// The stores (as <see cref="AddCloudStores(IServiceCollection, IConfiguration, string)"/> picks them) and the services behind the API
    /// and the web UI, without ingestion, the scheduler, the build recorder or the store initializer's data-directory lock: for a host that
    /// serves the pages over data written straight into its stores (the UI tests, <c>eqiot-bench ui</c>). The caller registers its
    /// <see cref="IClock"/> and runs <c>InitializeStoresAsync</c>; <see cref="MapPages"/> maps what this registers.
    /// </summary>
    public static IServiceCollection AddCloudPages(this IServiceCollection services, IConfiguration configuration, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<CloudOptions>().BindConfiguration(CloudOptions.Section);
        services.AddCloudStores(configuration, dataDirectory);
        services.AddBuilds(dataDirectory, runRecorder: false);
        services.AddNotifications(configuration);
        services.AddRules(configuration);
        services.AddMaintenance(configuration);
        services.AddLicences();
        services.AddCloudApi();
        services.AddWebUi(dataDirectory);
        return services;
    }

    /// <summary>Maps the API and the web UI registered by <see cref="AddCloudPages"/>.</summary>
    public static WebApplication MapPages(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapCloudApi();
        app.MapWebUi();
        return app;
    }

    /// <summary>The embedded SQLite stores of a data directory (records.db, series.db).</summary>
    public static IServiceCollection AddCloudStores(this IServiceCollection services, string dataDirectory) =>
        services.AddCloudStores(new ConfigurationBuilder().Build(), dataDirectory);

    /// <summary>
    /// The stores <see cref="StorageOptions"/> picks: series in SQLite (series.db) or InfluxDB, records (ledger, registry,
    /// audit log, tokens) in SQLite (records.db) or PostgreSQL.
    /// </summary>
    public static IServiceCollection AddCloudStores(this IServiceCollection services, IConfiguration configuration, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (StorageOptions.SeriesBackend(configuration) == StorageOptions.Influx) services.AddInfluxSeriesStore(configuration);
        else services.AddSqliteSeriesStore(dataDirectory);
        if (StorageOptions.RecordsBackend(configuration) == StorageOptions.Postgres)
        {
            // Ledger, registry, audit log, tokens, alarms and licences; the rest of the records (rules state, builds, maintenance,
            // the notification outbox, the scheduler) stay in the data directory.
            services.AddPostgresRecordStores(configuration);
        }
        else
        {
            services.AddSqliteLedger(dataDirectory);
            services.AddSqliteRecordStores(dataDirectory);
        }
        return services;
    }
}

/// <summary>
/// When the host starts, before ingestion: takes the data directory's lock (shared: other instances and backups
/// may run beside this one, a restore may not) and runs the stores' migrations. The lock is held until the host stops.
/// </summary>
internal sealed class StoreInitializer(IServiceProvider services, IOptions<CloudOptions> options) : IHostedService, IDisposable
{
    private DataDirectoryLock? _lock;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _lock = DataDirectoryLock.Acquire(options.Value.DataDirectory, DataDirectoryLockMode.Shared);
        return services.InitializeStoresAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // After the other hosted services stopped and the stores were disposed with the container.
    public void Dispose() => _lock?.Dispose();
}
