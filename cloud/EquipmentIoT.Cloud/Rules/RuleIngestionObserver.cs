using EquipmentIoT.Cloud.Ingestion;
using EquipmentIoT.Protocols.Telemetry.Model;

namespace EquipmentIoT.Cloud.Rules;

/// <summary>Feeds every newly stored batch to the rules, in commit order (after the batch is durable).</summary>
public sealed class RuleIngestionObserver(RuleRuntime rules) : IStoredBatchObserver
{
    /// <inheritdoc/>
    public async Task OnStoredAsync(IReadOnlyList<TelemetryBatch> batches, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batches);
        foreach (var batch in batches) await rules.ObserveAsync(batch, cancellationToken).ConfigureAwait(false);
    }
}
