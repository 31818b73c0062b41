namespace EquipmentIoT.Protocols.Telemetry.Chain;

/// <summary>What <see cref="TelemetryChain.Classify"/> concluded about an incoming, signature-verified batch.</summary>
public enum ChainVerdict
{
    /// <summary>The next batch: seq = last + 1 and prev = hash(last), or the first batch (seq 1) of a new stream. Accept; it becomes the last.</summary>
    Next,

    /// <summary>The same seq as the last with identical bytes: a redelivery (QoS 1) or a resend. Ignore it.</summary>
    Duplicate,

    /// <summary>Batches are missing before this one (seq > last + 1, or no history and seq > 1). Keep it, send a resend command for the gap.</summary>
    Gap,

    /// <summary>seq = last + 1 but prev ≠ hash(last): the chain is broken. Quarantine and raise an integrity alert.</summary>
    Broken,

    /// <summary>The same seq as the last with different bytes: two signed batches claim one place. Quarantine and raise an integrity alert.</summary>
    Conflict,

    /// <summary>Older than the last: a resent batch filling a gap, or a duplicate of a stored one. Compare it with what is stored at that seq and its neighbours.</summary>
    Earlier,
}
