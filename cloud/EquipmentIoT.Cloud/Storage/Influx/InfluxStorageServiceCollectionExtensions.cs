using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EquipmentIoT.Cloud.Storage.Influx;

public static class InfluxStorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="InfluxSeriesStore"/> as the singleton <see cref="ISeriesStore"/>, and as an
    /// <see cref="IStoreInitializer"/> (database, retention policies, continuous queries), with
    /// <see cref="InfluxOptions"/> bound from <c>Storage:Influx</c> and validated at start. Call it instead of the
    /// series half of the SQLite stores (register it after them to replace their <see cref="ISeriesStore"/>).
    /// </summary>
    public static IServiceCollection AddInfluxSeriesStore(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<InfluxOptions>()
            .Bind(configuration.GetSection(InfluxOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.Validate() is null, "Storage:Influx is invalid (see InfluxOptions.Validate)")
            .ValidateOnStart();
        services.AddSingleton(sp => InfluxSeriesStore.Create(sp.GetRequiredService<IOptions<InfluxOptions>>().Value,
            sp.GetRequiredService<ILoggerFactory>(), sp.GetService<TimeProvider>()));
        services.AddSingleton<ISeriesStore>(sp => sp.GetRequiredService<InfluxSeriesStore>());
        services.AddSingleton<IStoreInitializer>(sp => sp.GetRequiredService<InfluxSeriesStore>());
        return services;
    }
}
