using EquipmentIoT.Cloud.Storage;

namespace EquipmentIoT.Cloud.Web.Pages;

/// <summary>Per agent: batches received, stored, duplicates, quarantined, gaps open / filled / unavailable; the open gaps and the newest quarantined messages with their reasons (not their payloads).</summary>
public sealed class IntegrityModel(ITelemetryLedger ledger) : UiPageModel
{
    private const int MaxRows = 100;

    public IReadOnlyList<IntegritySummary> Agents { get; private set; } = [];

    public IReadOnlyList<GapRecord> Gaps { get; private set; } = [];

    public IReadOnlyList<QuarantineRecord> Quarantined { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Agents = await ledger.IntegrityAsync(null, cancellationToken);
        Gaps = [.. (await ledger.OpenGapsAsync(cancellationToken)).Take(MaxRows)];
        Quarantined = await ledger.QuarantinedAsync(new QuarantineQuery(Limit: MaxRows), cancellationToken);
    }
}
