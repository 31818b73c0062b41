using EquipmentIoT.Cloud.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NodaTime;
using Quartz;

namespace EquipmentIoT.Cloud.Scheduling;

/// <summary>Registers the scheduler: Quartz on a persistent SQLite job store in scheduler.db, run by the leading instance.</summary>
public static class SchedulingServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="SchedulingOptions"/> (section "Scheduling"), <see cref="SchedulerDatabase"/> (also an
    /// <see cref="IStoreInitializer"/>), <see cref="SchedulerLeadership"/>, the default Quartz scheduler with an
    /// AdoJobStore on <c>{dataDirectory}/scheduler.db</c> (Quartz provider "SQLite-Microsoft", job data stored as
    /// strings, schema validated at start) and <see cref="SchedulerHost"/> as Quartz's hosted service
    /// (WaitForJobsToComplete). Jobs are resolved from the container, so they take <see cref="IClock"/> and any other
    /// service in their constructors. Parts add their jobs with another <c>services.AddQuartz(q => q.ScheduleJob…)</c>.
    /// </summary>
    public static IServiceCollection AddScheduling(this IServiceCollection services, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        services.AddOptions<SchedulingOptions>().BindConfiguration(SchedulingOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<IClock>(SystemClock.Instance);
        services.TryAddSingleton(TimeProvider.System);

        var database = new SchedulerDatabase(dataDirectory);
        services.AddSingleton(database);
        services.AddSingleton<IStoreInitializer>(database);
        services.AddSingleton(_ => new SchedulerLeadership(dataDirectory));

        services.AddQuartz(quartz =>
        {
            quartz.UseDefaultThreadPool(pool => pool.MaxConcurrency = new SchedulingOptions().MaxConcurrency);
            quartz.UsePersistentStore(store =>
            {
                store.UseSqlite(database.Database.ConnectionString);
                store.ConfigureStore(o =>
                {
                    o.TablePrefix = SchedulerDatabase.TablePrefix;
                    // Our migration creates the tables (component "quartz"); Quartz only checks them.
                    o.SchemaProvisioning = SchemaProvisioning.Validate;
                    // Readable in the sqlite3 shell and tolerant of renamed job classes' data types.
                    o.StoreJobDataAsStrings = true;
                });
            });
        });
        // Options from configuration reach Quartz's own options types here, after binding.
        services.AddOptions<AdoJobStoreOptions>().Configure<IOptions<SchedulingOptions>>((store, ours) => store.MisfireThreshold = ours.Value.MisfireThreshold);
        services.AddOptions<ThreadPoolOptions>().Configure<IOptions<SchedulingOptions>>((pool, ours) => pool.MaxConcurrency = ours.Value.MaxConcurrency);

        services.AddQuartzHostedService<SchedulerHost>(o =>
        {
            o.WaitForJobsToComplete = true;
            o.AutoStart = false;
        });
        return services;
    }
}
