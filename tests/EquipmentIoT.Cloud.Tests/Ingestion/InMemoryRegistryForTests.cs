using System.Collections.Concurrent;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Protocols.Telemetry.Jose;
using NodaTime;

namespace EquipmentIoT.Cloud.Tests.Ingestion;

/// <summary>
/// A registry test double holding agents and keys in memory, counting lookups. It exists because the SQLite
/// registry (SqliteRegistryStore) is written on another branch at the same time; only what ingestion calls
/// (FindKeyAsync, GetAgentAsync, TouchAsync) and the setup calls are implemented. Replace it with the real
/// store once that is on main.
/// </summary>
internal sealed class InMemoryRegistryForTests : IRegistryStore
{
    private readonly ConcurrentDictionary<string, AgentRecord> agents = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, AgentKeyRecord> keys = new(StringComparer.Ordinal);
    private int keyLookups, agentLookups;

    public int KeyLookups => Volatile.Read(ref keyLookups);

    public int AgentLookups => Volatile.Read(ref agentLookups);

    public ConcurrentQueue<(string Agent, string[] Devices, Instant At)> Touches { get; } = new();

    public Task<AgentRecord> AddAgentAsync(NewAgent agent, CancellationToken cancellationToken)
    {
        var key = Key(agent.Id, agent.PublicKeyPem, agent.At);
        var record = new AgentRecord(agent.Id, agent.Site, agent.Description, agent.At, null, [key]);
        if (!agents.TryAdd(agent.Id, record)) throw new RegistryException($"agent {agent.Id} exists");
        keys[key.Kid] = key;
        return Task.FromResult(record);
    }

    public Task<AgentRecord?> GetAgentAsync(string agentId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref agentLookups);
        return Task.FromResult(agents.GetValueOrDefault(agentId));
    }

    public Task<AgentKeyRecord> AddKeyAsync(string agentId, string publicKeyPem, Instant at, CancellationToken cancellationToken)
    {
        var key = Key(agentId, publicKeyPem, at);
        keys[key.Kid] = key;
        return Task.FromResult(key);
    }

    public Task<AgentKeyRecord> RevokeKeyAsync(string kid, string reason, Instant at, CancellationToken cancellationToken)
    {
        var revoked = keys[kid] with { Revoked = at, RevokedReason = reason };
        keys[kid] = revoked;
        return Task.FromResult(revoked);
    }

    public Task<AgentKeyRecord?> FindKeyAsync(string kid, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref keyLookups);
        return Task.FromResult(keys.GetValueOrDefault(kid));
    }

    public Task TouchAsync(string agentId, IReadOnlyCollection<string> devices, Instant at, CancellationToken cancellationToken)
    {
        Touches.Enqueue((agentId, [.. devices.Order(StringComparer.Ordinal)], at));
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<AgentRecord>> ListAgentsAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<AgentKeyRecord>> ListKeysAsync(string agentId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<DeviceRecord?> GetDeviceAsync(string deviceId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<DeviceRecord>> ListDevicesAsync(DeviceQuery query, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<DeviceCount>> CountDevicesAsync(DeviceQuery query, AssetField groupBy, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public Task<DeviceRecord> SaveAssetAsync(string deviceId, AssetRecord asset, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<SiteRecord> SaveSiteAsync(SiteRecord site, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<SiteRecord>> ListSitesAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

    private static AgentKeyRecord Key(string agentId, string pem, Instant at)
    {
        using var key = AgentKeys.ImportPublicKeyPem(pem);
        return new AgentKeyRecord(JwkThumbprint.Compute(key), agentId, pem, at, null, null);
    }
}
