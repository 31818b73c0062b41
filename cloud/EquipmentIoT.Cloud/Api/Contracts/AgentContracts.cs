using EquipmentIoT.Cloud.Storage;

namespace EquipmentIoT.Cloud.Api.Contracts;

/// <summary>Registers an agent with its first public key (SubjectPublicKeyInfo PEM, P-256).</summary>
public sealed record RegisterAgentRequest(string Id, string PublicKeyPem, string? Site, string? Description);

/// <summary>Adds a key to an agent (rotation): both keys verify until the old one is revoked.</summary>
public sealed record AddKeyRequest(string PublicKeyPem);

/// <summary>Revokes a key; the reason is kept with it.</summary>
public sealed record RevokeKeyRequest(string Reason);

/// <summary>The revoked key and how many live keys its agent has left; a warning when none is left.</summary>
public sealed record RevokeKeyResponse(AgentKeyRecord Key, int LiveKeys, string? Warning);
