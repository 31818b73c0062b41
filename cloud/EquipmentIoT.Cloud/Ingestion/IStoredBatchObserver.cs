using EquipmentIoT.Protocols.Telemetry.Model;

namespace EquipmentIoT.Cloud.Ingestion;

/// <summary>
/// Told about batches after they are durably stored (ledger and series), in commit order, before the broker is
/// acknowledged. QC rules hook in here. An observer's failure is logged and does not fail the commit: the data is safe,
/// and a rule that missed a batch sees the next one.
/// </summary>
public interface IStoredBatchObserver
{
    /// <summary>Called once per committed group with its newly stored batches.</summary>
    Task OnStoredAsync(IReadOnlyList<TelemetryBatch> batches, CancellationToken cancellationToken);
}
