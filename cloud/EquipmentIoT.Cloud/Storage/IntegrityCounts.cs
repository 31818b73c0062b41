using NodaTime;

namespace EquipmentIoT.Cloud.Storage;

/// <summary>Per-agent counter increments gathered during one write transaction and added at its end, one row per agent.</summary>
internal sealed class IntegrityCounts
{
    public long Received { get; private set; }
    public long Stored { get; private set; }
    public long Duplicates { get; private set; }
    public long Quarantined { get; private set; }
    public Instant? LastReceived { get; private set; }

    public void Count(IngestDisposition disposition, Instant received)
    {
        Received++;
        switch (disposition)
        {
            case IngestDisposition.Stored: Stored++; break;
            case IngestDisposition.Duplicate: Duplicates++; break;
            default: Quarantined++; break;
        }
        if (LastReceived is not { } last || received > last) LastReceived = received;
    }
}
