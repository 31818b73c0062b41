using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using NodaTime;

namespace EquipmentIoT.Cloud.Ingestion;

/// <summary>Registers ingestion in a host.</summary>
public static class IngestionServiceCollectionExtensions
{
    /// <summary>
    /// Adds the ingestion service and its parts, with <see cref="IngestionOptions"/> bound from section
    /// "Ingestion" and validated at start. The stores (<c>ITelemetryLedger</c>, <c>ISeriesStore</c>,
    /// <c>IRegistryStore</c>) must be registered too. <see cref="IngestionMetrics"/> is a singleton for /metrics.
    /// </summary>
    public static IServiceCollection AddIngestion(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<IngestionOptions>().Bind(configuration.GetSection(IngestionOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<IngestionOptions>, IngestionOptionsValidator>();
        services.AddSingleton<IValidateOptions<IngestionOptions>, IngestionOptionsRules>();
        services.TryAddSingleton<IClock>(SystemClock.Instance);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IngestionMetrics>();
        services.AddSingleton<AgentKeyCache>();
        services.AddSingleton<TelemetryClassifier>();
        services.AddSingleton<SeriesRecovery>();
        services.AddSingleton<GroupCommitter>();
        services.AddSingleton<GapResender>();
        services.AddSingleton<IngestionService>();
        services.AddHostedService(sp => sp.GetRequiredService<IngestionService>());
        services.AddHealthChecks().AddCheck<IngestionHealthCheck>("ingestion");
        return services;
    }
}
