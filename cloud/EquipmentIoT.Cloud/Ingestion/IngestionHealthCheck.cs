using EquipmentIoT.Protocols.Mqtt.Client;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EquipmentIoT.Cloud.Ingestion;

/// <summary>
/// /healthz's view of ingestion: Degraded (still HTTP 200: the API serves what is stored) while the service is not
/// connected to the broker and subscribed, so that the on-call engineer sees "no data is coming in" at once.
/// </summary>
internal sealed class IngestionHealthCheck(IngestionService ingestion) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var state = ingestion.ClientState;
        return Task.FromResult(state == MqttClientState.Connected && ingestion.Subscribed.IsCompletedSuccessfully
            ? HealthCheckResult.Healthy("connected to the broker and subscribed")
            : HealthCheckResult.Degraded($"not receiving telemetry: the broker connection is {state?.ToString().ToLowerInvariant() ?? "not started"}"));
    }
}
