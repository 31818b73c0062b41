using EquipmentIoT.Cloud.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EquipmentIoT.Cloud.Api;

/// <summary><c>/healthz</c>: healthy when every registered store answers a cheap read.</summary>
internal sealed class StoresHealthCheck(IServiceProvider services) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var checks = new List<(string Name, Func<Task> Probe)>();
        if (services.GetService<IRegistryStore>() is { } registry) checks.Add(("registry", () => registry.ListSitesAsync(cancellationToken)));
        if (services.GetService<IAuditLog>() is { } audit) checks.Add(("audit", () => audit.QueryAsync(new AuditQuery(Limit: 1), cancellationToken)));
        if (services.GetService<IApiTokenStore>() is { } tokens) checks.Add(("tokens", () => tokens.ListAsync(cancellationToken)));
        if (services.GetService<ITelemetryLedger>() is { } ledger) checks.Add(("ledger", () => ledger.CountBatchesAsync(cancellationToken)));
        if (services.GetService<ISeriesStore>() is { } series) checks.Add(("series", () => series.SeriesAsync("healthz", cancellationToken)));

        var failed = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var (name, probe) in checks)
        {
            try
            {
                await probe().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Reported, not swallowed: the health answer is the place this failure is meant to surface.
                failed[name] = ex.GetType().Name + ": " + ex.Message;
            }
        }
        return failed.Count == 0
            ? HealthCheckResult.Healthy($"{checks.Count} stores answer")
            : HealthCheckResult.Unhealthy($"{string.Join(", ", failed.Keys)} did not answer", data: failed);
    }
}
