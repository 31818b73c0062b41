namespace EquipmentIoT.Protocols.Telemetry.Chain;

/// <summary>Where a stream's chain stands: the newest accepted batch's <c>seq</c> and chain hash.</summary>
/// <param name="Seq">Its sequence number.</param>
/// <param name="Hash">The chain hash of its JWS (see <see cref="TelemetryChain.Hash(ReadOnlySpan{byte})"/>).</param>
public readonly record struct ChainPosition(long Seq, string Hash);
