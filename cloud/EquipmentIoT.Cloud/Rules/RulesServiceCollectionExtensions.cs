using EquipmentIoT.Cloud.Alarms;
using EquipmentIoT.Cloud.Hosting;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Storage.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;

namespace EquipmentIoT.Cloud.Rules;

/// <summary>Registers the rule engine and the alarm lifecycle in a host.</summary>
public static class RulesServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="RulesOptions"/> (section "Rules", validated at start: every configured rule is read then) and
    /// <see cref="AlarmOptions"/> (section "Alarms"); <see cref="SqliteRuleStore"/> and <see cref="SqliteAlarmStore"/> on records.db of
    /// <c>Cloud:DataDirectory</c> (each also an <see cref="IStoreInitializer"/>); <see cref="AlarmManager"/>, <see cref="RuleRuntime"/>
    /// and the <see cref="RuleTickService"/>. The registry (<see cref="IRegistryStore"/>) must be registered too; register
    /// <see cref="IAlarmObserver"/>s for notifications.
    /// </summary>
    public static IServiceCollection AddRules(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<RulesOptions>().Bind(configuration.GetSection(RulesOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RulesOptions>, RulesOptionsValidator>();
        services.AddSingleton<IValidateOptions<RulesOptions>>(new RulesOptionsRules(configuration));
        services.AddOptions<AlarmOptions>().Bind(configuration.GetSection(AlarmOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AlarmOptions>, AlarmOptionsValidator>();
        services.AddSingleton<IValidateOptions<AlarmOptions>, AlarmOptionsRules>();
        services.TryAddSingleton<IClock>(SystemClock.Instance);
        services.TryAddSingleton(TimeProvider.System);

        var dataDirectory = Path.GetFullPath(configuration[$"{CloudOptions.Section}:{nameof(CloudOptions.DataDirectory)}"] ?? CloudPaths.DefaultDataDirectory);
        var records = new SqliteDatabase(Path.Combine(dataDirectory, SqliteRecordStores.RecordsFileName));
        services.AddSingleton(_ => new SqliteRuleStore(records));
        services.AddSingleton<IRuleStore>(sp => sp.GetRequiredService<SqliteRuleStore>());
        services.AddSingleton<IStoreInitializer>(sp => sp.GetRequiredService<SqliteRuleStore>());
        // The alarms live with the other records: in records.db unless a record store registered its own (PostgreSQL) before.
        if (!services.Any(d => d.ServiceType == typeof(IAlarmStore)))
        {
            services.AddSingleton(_ => new SqliteAlarmStore(records));
            services.AddSingleton<IAlarmStore>(sp => sp.GetRequiredService<SqliteAlarmStore>());
            services.AddSingleton<IStoreInitializer>(sp => sp.GetRequiredService<SqliteAlarmStore>());
        }
        services.AddSingleton(sp => new AlarmManager(sp.GetRequiredService<IAlarmStore>(),
            sp.GetRequiredService<IOptions<AlarmOptions>>().Value.ToPolicy(out _) ?? AlarmPolicy.Default,
            sp.GetServices<IAlarmObserver>(), sp.GetRequiredService<ILogger<AlarmManager>>()));
        services.AddSingleton(sp => new RuleRuntime(sp.GetRequiredService<IRuleStore>(), sp.GetRequiredService<AlarmManager>(),
            sp.GetRequiredService<IRegistryStore>(), sp.GetRequiredService<IClock>(), sp.GetRequiredService<IOptions<RulesOptions>>(),
            configuration, sp.GetRequiredService<ILogger<RuleRuntime>>()));
        services.AddHostedService<RuleTickService>();
        return services;
    }
}
