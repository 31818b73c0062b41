using System.Collections.Concurrent;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Storage.Sqlite;
using NodaTime;

namespace EquipmentIoT.Cloud.Tests.Ingestion;

/// <summary>
/// The real SQLite registry on a temp records.db, with the lookups ingestion makes counted (to see what the
/// key cache saves) and the touches recorded. Create with <see cref="CreateAsync"/>; disposing deletes the file.
/// </summary>
internal sealed class CountingRegistry : IRegistryStore, IAsyncDisposable
{
    private readonly string directory;
    private readonly SqliteRegistryStore inner;
    private int keyLookups, agentLookups;

    private CountingRegistry(string directory)
    {
        this.directory = directory;
        inner = new SqliteRegistryStore(new SqliteDatabase(Path.Combine(directory, SqliteRecordStores.RecordsFileName)));
    }

    public int KeyLookups => Volatile.Read(ref keyLookups);

    public int AgentLookups => Volatile.Read(ref agentLookups);

    public ConcurrentQueue<(string Agent, string[] Devices, Instant At)> Touches { get; } = new();

    public static async Task<CountingRegistry> CreateAsync()
    {
        var registry = new CountingRegistry(Directory.CreateTempSubdirectory("eqiot-ingestion-registry-").FullName);
        await registry.inner.InitializeAsync(CancellationToken.None);
        return registry;
    }

    public Task<AgentKeyRecord?> FindKeyAsync(string kid, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref keyLookups);
        return inner.FindKeyAsync(kid, cancellationToken);
    }

    public Task<AgentRecord?> GetAgentAsync(string agentId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref agentLookups);
        return inner.GetAgentAsync(agentId, cancellationToken);
    }

    public Task TouchAsync(string agentId, IReadOnlyCollection<string> devices, Instant at, CancellationToken cancellationToken)
    {
        Touches.Enqueue((agentId, [.. devices.Order(StringComparer.Ordinal)], at));
        return inner.TouchAsync(agentId, devices, at, cancellationToken);
    }

    public Task<AgentRecord> AddAgentAsync(NewAgent agent, CancellationToken cancellationToken) => inner.AddAgentAsync(agent, cancellationToken);

    public Task<IReadOnlyList<AgentRecord>> ListAgentsAsync(CancellationToken cancellationToken) => inner.ListAgentsAsync(cancellationToken);

    public Task<AgentKeyRecord> AddKeyAsync(string agentId, string publicKeyPem, Instant at, CancellationToken cancellationToken) =>
        inner.AddKeyAsync(agentId, publicKeyPem, at, cancellationToken);

    public Task<AgentKeyRecord> RevokeKeyAsync(string kid, string reason, Instant at, CancellationToken cancellationToken) =>
        inner.RevokeKeyAsync(kid, reason, at, cancellationToken);

    public Task<IReadOnlyList<AgentKeyRecord>> ListKeysAsync(string agentId, CancellationToken cancellationToken) => inner.ListKeysAsync(agentId, cancellationToken);

    public Task<DeviceRecord?> GetDeviceAsync(string deviceId, CancellationToken cancellationToken) => inner.GetDeviceAsync(deviceId, cancellationToken);

    public Task<IReadOnlyList<DeviceRecord>> ListDevicesAsync(DeviceQuery query, CancellationToken cancellationToken) => inner.ListDevicesAsync(query, cancellationToken);

    public Task<IReadOnlyList<DeviceCount>> CountDevicesAsync(DeviceQuery query, AssetField groupBy, CancellationToken cancellationToken) =>
        inner.CountDevicesAsync(query, groupBy, cancellationToken);

    public Task<DeviceRecord> SaveAssetAsync(string deviceId, AssetRecord asset, CancellationToken cancellationToken) =>
        inner.SaveAssetAsync(deviceId, asset, cancellationToken);

    public Task<SiteRecord> SaveSiteAsync(SiteRecord site, CancellationToken cancellationToken) => inner.SaveSiteAsync(site, cancellationToken);

    public Task<IReadOnlyList<SiteRecord>> ListSitesAsync(CancellationToken cancellationToken) => inner.ListSitesAsync(cancellationToken);

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
        return ValueTask.CompletedTask;
    }
}
