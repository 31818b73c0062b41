using System.Net;
using EquipmentIoT.Cloud.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using static EquipmentIoT.Cloud.Tests.Api.ApiJson;

namespace EquipmentIoT.Cloud.Tests.Api;

/// <summary>A store that fails is a 503 problem, never a 404; an audit log that cannot be written withholds the answer.</summary>
public sealed class ApiFailureTests : IAsyncLifetime
{
    private readonly LockedRegistry _registry = new();
    private readonly SwitchableAuditLog _audit = new();
    private ApiHost _host = null!;

    public async Task InitializeAsync()
    {
        var stubs = new StubTelemetryStores();
        _host = await ApiHost.StartAsync((services, _) =>
        {
            services.AddSingleton<ITelemetryLedger>(stubs);
            services.AddSingleton<ISeriesStore>(stubs);
            services.AddSingleton<IRegistryStore>(_registry);
            services.AddSingleton<IAuditLog>(sp =>
            {
                _audit.Inner = sp.GetRequiredService<EquipmentIoT.Cloud.Storage.Sqlite.SqliteAuditLog>();
                return _audit;
            });
        });
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task GetDevice_RegistryLocked_Is503ProblemAndAudited()
    {
        using var response = await _host.Client(Role.Operator).GetAsync(U("/api/v1/devices/ct-01"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var entry = Assert.Single(await _audit.QueryAsync(new AuditQuery(ActionPrefix: "GET /api/v1/devices/{id}"), CancellationToken.None));
        Assert.Equal("503", entry.Outcome);
    }

    [Fact]
    public async Task Healthz_RegistryLocked_IsUnhealthy()
    {
        using var response = await _host.Client(null).GetAsync(U("/healthz"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
    }

    [Fact]
    public async Task AnyRead_AuditLogUnwritable_Is503WithoutTheData()
    {
        _audit.Failing = true;
        using var response = await _host.Client(Role.Operator).GetAsync(U("/api/v1/events"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("audit log", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    private static SqliteException Locked() => new("database is locked", 5);

    private sealed class SwitchableAuditLog : IAuditLog
    {
        public EquipmentIoT.Cloud.Storage.Sqlite.SqliteAuditLog Inner { get; set; } = null!;

        public bool Failing { get; set; }

        public Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken) =>
            Failing ? throw Locked() : Inner.AppendAsync(entry, cancellationToken);

        public Task<IReadOnlyList<AuditRecord>> QueryAsync(AuditQuery query, CancellationToken cancellationToken) => Inner.QueryAsync(query, cancellationToken);
    }

    private sealed class LockedRegistry : IRegistryStore
    {
        public Task<AgentRecord> AddAgentAsync(NewAgent agent, CancellationToken cancellationToken) => throw Locked();
        public Task<AgentRecord?> GetAgentAsync(string agentId, CancellationToken cancellationToken) => throw Locked();
        public Task<IReadOnlyList<AgentRecord>> ListAgentsAsync(CancellationToken cancellationToken) => throw Locked();
        public Task<AgentKeyRecord> AddKeyAsync(string agentId, string publicKeyPem, Instant at, CancellationToken cancellationToken) => throw Locked();
        public Task<AgentKeyRecord> RevokeKeyAsync(string kid, string reason, Instant at, CancellationToken cancellationToken) => throw Locked();
        public Task<AgentKeyRecord?> FindKeyAsync(string kid, CancellationToken cancellationToken) => throw Locked();
        public Task<IReadOnlyList<AgentKeyRecord>> ListKeysAsync(string agentId, CancellationToken cancellationToken) => throw Locked();
        public Task TouchAsync(string agentId, IReadOnlyCollection<string> devices, Instant at, CancellationToken cancellationToken) => throw Locked();
        public Task<DeviceRecord?> GetDeviceAsync(string deviceId, CancellationToken cancellationToken) => throw Locked();
        public Task<IReadOnlyList<DeviceRecord>> ListDevicesAsync(DeviceQuery query, CancellationToken cancellationToken) => throw Locked();
        public Task<IReadOnlyList<DeviceCount>> CountDevicesAsync(DeviceQuery query, AssetField groupBy, CancellationToken cancellationToken) => throw Locked();
        public Task<DeviceRecord> SaveAssetAsync(string deviceId, AssetRecord asset, CancellationToken cancellationToken) => throw Locked();
        public Task<SiteRecord> SaveSiteAsync(SiteRecord site, CancellationToken cancellationToken) => throw Locked();
        public Task<IReadOnlyList<SiteRecord>> ListSitesAsync(CancellationToken cancellationToken) => throw Locked();
    }
}
