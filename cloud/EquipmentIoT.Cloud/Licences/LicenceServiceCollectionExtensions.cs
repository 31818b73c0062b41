using EquipmentIoT.Cloud.Hosting;
using EquipmentIoT.Cloud.Licences.Sqlite;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NodaTime;
using Quartz;

namespace EquipmentIoT.Cloud.Licences;

/// <summary>Registers the licence register, its reminders and reports.</summary>
public static class LicenceServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="LicenceOptions"/> (section "Licences", validated at start), <see cref="SqliteLicenceStore"/> on
    /// records.db of <c>Cloud:DataDirectory</c> (also an <see cref="IStoreInitializer"/>), <see cref="LicenceService"/>,
    /// <see cref="LicenceNoticeRunner"/> and the <see cref="LicenceNoticeJob"/> with its daily cron trigger and a run at
    /// every scheduler start, and <see cref="ILicenceSms"/> as <see cref="OutboxLicenceSms"/> unless one is registered. Needs
    /// <c>AddScheduling</c> (the scheduler), <see cref="IRegistryStore"/> (sites, devices) and <c>AddNotifications</c> (the outbox).
    /// </summary>
    public static IServiceCollection AddLicences(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<LicenceOptions>().BindConfiguration(LicenceOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<LicenceOptions>, LicenceOptionsValidator>();
        services.TryAddSingleton<IClock>(SystemClock.Instance);

        // The register lives with the other records: in records.db unless a record store registered its own (PostgreSQL) before.
        if (!services.Any(d => d.ServiceType == typeof(ILicenceStore)))
        {
            services.AddSingleton(sp => new SqliteLicenceStore(
                SqliteDataFiles.RecordsDatabase(Path.GetFullPath(sp.GetRequiredService<IOptions<CloudOptions>>().Value.DataDirectory))));
            services.AddSingleton<ILicenceStore>(sp => sp.GetRequiredService<SqliteLicenceStore>());
            services.AddSingleton<IStoreInitializer>(sp => sp.GetRequiredService<SqliteLicenceStore>());
        }
        services.AddSingleton<LicenceCalendar>();
        services.AddSingleton<LicenceTexts>();
        services.AddSingleton<LicenceService>();
        services.AddSingleton<LicenceNoticeRunner>();
        services.TryAddSingleton<ILicenceSms, OutboxLicenceSms>();

        services.AddQuartz(quartz =>
        {
            quartz.ScheduleJob<LicenceNoticeJob>((sp, trigger) =>
            {
                var options = sp.GetRequiredService<IOptions<LicenceOptions>>().Value;
                trigger.WithIdentity(LicenceNoticeJob.DailyTrigger)
                    .WithDescription("licence reminders, daily")
                    .WithSchedule(CronScheduleBuilder.Create(DailyCron(options.DailyAt))
                        .InTimeZone(TimeZoneInfo.FindSystemTimeZoneById(options.TimeZone))
                        .WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed));
            }, (_, job) => job.WithIdentity(LicenceNoticeJob.Key).WithDescription("licence reminders (配置许可证提醒)"));
            quartz.RunAtStartup(LicenceNoticeJob.Key);
        });
        return services;
    }

    /// <summary>The Quartz cron expression of a daily time ("0 30 8 * * ?" for 08:30).</summary>
    public static string DailyCron(TimeSpan at) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"0 {at.Minutes} {at.Hours} * * ?");
}
