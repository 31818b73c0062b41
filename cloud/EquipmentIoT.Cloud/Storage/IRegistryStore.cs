using NodaTime;

namespace EquipmentIoT.Cloud.Storage;

/// <summary>
/// Agents and their signing keys, devices with their asset records, and sites. Devices appear on their own
/// when an agent first sends data for them; people complete their asset records.
/// </summary>
public interface IRegistryStore
{
    /// <summary>Registers an agent with its first public key. Fails with <see cref="RegistryException"/> when the id or key exists.</summary>
    Task<AgentRecord> AddAgentAsync(NewAgent agent, CancellationToken cancellationToken);

    Task<AgentRecord?> GetAgentAsync(string agentId, CancellationToken cancellationToken);

    Task<IReadOnlyList<AgentRecord>> ListAgentsAsync(CancellationToken cancellationToken);

    /// <summary>Key rotation: adds another key to an agent (both verify until the old one is revoked).</summary>
    Task<AgentKeyRecord> AddKeyAsync(string agentId, string publicKeyPem, Instant at, CancellationToken cancellationToken);

    /// <summary>Revokes a key: batches signed with it are quarantined from now on.</summary>
    Task<AgentKeyRecord> RevokeKeyAsync(string kid, string reason, Instant at, CancellationToken cancellationToken);

    /// <summary>The key with this kid (revoked or not), or null.</summary>
    Task<AgentKeyRecord?> FindKeyAsync(string kid, CancellationToken cancellationToken);

    Task<IReadOnlyList<AgentKeyRecord>> ListKeysAsync(string agentId, CancellationToken cancellationToken);

    /// <summary>Notes that an agent sent data for these devices at <paramref name="at"/>: creates unknown devices, updates last-seen.</summary>
    Task TouchAsync(string agentId, IReadOnlyCollection<string> devices, Instant at, CancellationToken cancellationToken);

    Task<DeviceRecord?> GetDeviceAsync(string deviceId, CancellationToken cancellationToken);

    /// <summary>Devices matching every given field of the query (text fields match case-insensitively by substring).</summary>
    Task<IReadOnlyList<DeviceRecord>> ListDevicesAsync(DeviceQuery query, CancellationToken cancellationToken);

    /// <summary>Counts of devices matching the query, grouped by one asset field.</summary>
    Task<IReadOnlyList<DeviceCount>> CountDevicesAsync(DeviceQuery query, AssetField groupBy, CancellationToken cancellationToken);

    /// <summary>Creates or replaces a device's asset record (the device need not have sent data yet).</summary>
    Task<DeviceRecord> SaveAssetAsync(string deviceId, AssetRecord asset, CancellationToken cancellationToken);

    Task<SiteRecord> SaveSiteAsync(SiteRecord site, CancellationToken cancellationToken);

    Task<IReadOnlyList<SiteRecord>> ListSitesAsync(CancellationToken cancellationToken);
}

/// <summary>A registration request.</summary>
public sealed record NewAgent(string Id, string PublicKeyPem, string? Site, string? Description, Instant At);

public sealed record AgentRecord(string Id, string? Site, string? Description, Instant Registered, Instant? LastSeen,
    IReadOnlyList<AgentKeyRecord> Keys);

/// <summary>A public key: <paramref name="Kid"/> is its RFC 7638 thumbprint (what the JWS header names).</summary>
public sealed record AgentKeyRecord(string Kid, string AgentId, string PublicKeyPem, Instant Added, Instant? Revoked, string? RevokedReason)
{
    public bool IsRevoked => Revoked is not null;
}

/// <summary>
/// The equipment archive entry a large-equipment register asks for. Every field is optional until someone fills it.
/// </summary>
public sealed record AssetRecord(string? DeviceClass = null, string? Manufacturer = null, string? Model = null, string? SerialNumber = null,
    string? Department = null, string? Location = null, LocalDate? InstallationDate = null, string? OwnerUnit = null,
    string? LicenceNumber = null, string? Site = null, string? Name = null);

public sealed record DeviceRecord(string Id, string? AgentId, Instant? FirstSeen, Instant? LastSeen, AssetRecord Asset);

/// <summary>Device search; null fields do not filter.</summary>
public sealed record DeviceQuery(string? Text = null, string? DeviceClass = null, string? Manufacturer = null, string? Model = null,
    string? Department = null, string? Location = null, string? OwnerUnit = null, string? Site = null, string? AgentId = null,
    int Limit = 1000);

/// <summary>Asset fields devices can be grouped by.</summary>
public enum AssetField
{
    DeviceClass,
    Manufacturer,
    Model,
    Department,
    Location,
    OwnerUnit,
    Site,
}

public sealed record DeviceCount(string? Value, long Count);

/// <summary>A site; <paramref name="TimeZone"/> is an IANA id ("Asia/Shanghai") used for usage statistics and reports.</summary>
public sealed record SiteRecord(string Id, string Name, string TimeZone);

/// <summary>A registry rule was broken (duplicate id, unknown agent, bad key): the message says which.</summary>
public sealed class RegistryException(string message) : Exception(message);
