using EquipmentIoT.Cloud.Alarms;
using EquipmentIoT.Cloud.Builds;
using EquipmentIoT.Cloud.Hosting;
using EquipmentIoT.Cloud.Maintenance.Sqlite;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Storage.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NodaTime;
using Quartz;

namespace EquipmentIoT.Cloud.Maintenance;

/// <summary>Registers maintenance: plans, calibration items, work orders, the due job and repairs from alarms.</summary>
public static class MaintenanceServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="MaintenanceOptions"/> (section "Maintenance", validated at start); <see cref="SqliteMaintenanceStore"/> on records.db of
    /// <c>Cloud:DataDirectory</c> (also an <see cref="IStoreInitializer"/>); the services the API uses; <see cref="RepairOrderObserver"/> as an
    /// <see cref="IAlarmObserver"/>; and the Quartz job <see cref="MaintenanceDueJob"/> with a trigger every <see cref="MaintenanceOptions.DueInterval"/>
    /// (the scheduler, its store and its hosted service are configured elsewhere). <see cref="IMaintenanceNotifier"/> defaults to the log
    /// until notifications register theirs; the registry, the ledger and the series store must be registered (build records are optional).
    /// </summary>
    public static IServiceCollection AddMaintenance(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<MaintenanceOptions>().Bind(configuration.GetSection(MaintenanceOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<MaintenanceOptions>, MaintenanceOptionsValidator>();
        services.AddSingleton<IValidateOptions<MaintenanceOptions>, MaintenanceOptionsRules>();
        services.TryAddSingleton<IClock>(SystemClock.Instance);

        var dataDirectory = Path.GetFullPath(configuration[$"{CloudOptions.Section}:{nameof(CloudOptions.DataDirectory)}"] ?? CloudPaths.DefaultDataDirectory);
        var records = new SqliteDatabase(Path.Combine(dataDirectory, SqliteRecordStores.RecordsFileName));
        services.AddSingleton(_ => new SqliteMaintenanceStore(records));
        services.AddSingleton<IMaintenanceStore>(sp => sp.GetRequiredService<SqliteMaintenanceStore>());
        services.AddSingleton<IStoreInitializer>(sp => sp.GetRequiredService<SqliteMaintenanceStore>());

        services.TryAddSingleton<IMaintenanceNotifier, LoggingMaintenanceNotifier>();
        services.TryAddSingleton<IMaintenanceUsageSource>(sp => new StoreUsageSource(sp.GetRequiredService<ITelemetryLedger>(),
            sp.GetRequiredService<ISeriesStore>(), sp.GetRequiredService<IOptionsMonitor<MaintenanceOptions>>(), sp.GetService<IBuildStore>()));
        services.AddSingleton<MaintenanceZones>();
        services.AddSingleton<MaintenanceNotices>();
        services.AddSingleton<MaintenanceDueService>();
        services.AddSingleton<WorkOrderService>();
        services.AddSingleton<PlanService>();
        services.AddSingleton<IAlarmObserver, RepairOrderObserver>();

        services.AddQuartz(q =>
        {
            q.AddJob<MaintenanceDueJob>(job => job.WithIdentity(MaintenanceDueJob.Key)
                .WithDescription("Maintenance: plans and calibration items come due, reminders, overdue notices"));
            q.AddTrigger<MaintenanceDueJob>((sp, trigger) => trigger.WithIdentity(MaintenanceDueJob.TriggerKey).ForJob(MaintenanceDueJob.Key).StartNow()
                .WithSimpleSchedule(s => s.WithInterval(sp.GetRequiredService<IOptions<MaintenanceOptions>>().Value.DueInterval).RepeatForever()));
        });
        return services;
    }
}
