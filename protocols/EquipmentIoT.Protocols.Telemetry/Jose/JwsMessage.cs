namespace EquipmentIoT.Protocols.Telemetry.Jose;

/// <summary>A JWS whose signature <see cref="JwsVerifier"/> has checked.</summary>
/// <param name="Kid">The <c>kid</c> of the protected header: the RFC 7638 thumbprint of the key that verified it.</param>
/// <param name="ContentType">The <c>cty</c> header, or null when absent.</param>
/// <param name="Payload">The decoded payload bytes (for envelope v1, the batch JSON).</param>
public sealed record JwsMessage(string Kid, string? ContentType, ReadOnlyMemory<byte> Payload);
