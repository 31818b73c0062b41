using EquipmentIoT.Cloud.Ingestion;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Testing;

namespace EquipmentIoT.Cloud.Tests.Ingestion;

public sealed class AgentKeyCacheTests : IDisposable
{
    private static readonly Instant Start = Instant.FromUtc(2026, 11, 22, 10, 0, 0);
    private readonly FakeClock clock = new(Start);
    private readonly InMemoryRegistryForTests registry = new();
    private readonly TestAgent agent = new("agent-01");
    private readonly AgentKeyCache cache;

    public AgentKeyCacheTests()
    {
        cache = new AgentKeyCache(registry, clock, Options.Create(new IngestionOptions
        {
            KeyCacheTime = TimeSpan.FromSeconds(30),
            NegativeCacheTime = TimeSpan.FromSeconds(5),
        }));
    }

    [Fact]
    public async Task FindKeyAsync_FoundAgainWithinCacheTime_RegistryReadOnce()
    {
        await agent.RegisterAsync(registry, Start);

        var first = await cache.FindKeyAsync(agent.Kid, CancellationToken.None);
        clock.Advance(Duration.FromSeconds(29));
        var second = await cache.FindKeyAsync(agent.Kid, CancellationToken.None);

        Assert.Equal(1, registry.KeyLookups);
        Assert.Same(first, second);
        Assert.Equal("agent-01", first!.Record.AgentId);
    }

    [Fact]
    public async Task FindKeyAsync_AfterCacheTime_ReadAgainSeesRevocationAndKeepsImportedKey()
    {
        await agent.RegisterAsync(registry, Start);
        var before = await cache.FindKeyAsync(agent.Kid, CancellationToken.None);
        await registry.RevokeKeyAsync(agent.Kid, "lost", Start, CancellationToken.None);

        clock.Advance(Duration.FromSeconds(30));
        var after = await cache.FindKeyAsync(agent.Kid, CancellationToken.None);

        Assert.Equal(2, registry.KeyLookups);
        Assert.False(before!.Record.IsRevoked);
        Assert.True(after!.Record.IsRevoked);
        Assert.Same(before.Key, after.Key);
    }

    [Fact]
    public async Task FindKeyAsync_UnknownKid_RememberedForNegativeCacheTimeOnly()
    {
        Assert.Null(await cache.FindKeyAsync(agent.Kid, CancellationToken.None));
        await agent.RegisterAsync(registry, Start);
        clock.Advance(Duration.FromSeconds(4));
        Assert.Null(await cache.FindKeyAsync(agent.Kid, CancellationToken.None));
        Assert.Equal(1, registry.KeyLookups);

        clock.Advance(Duration.FromSeconds(1));
        Assert.NotNull(await cache.FindKeyAsync(agent.Kid, CancellationToken.None));
        Assert.Equal(2, registry.KeyLookups);
    }

    [Fact]
    public async Task Invalidate_CachedKey_NextLookupReadsRegistry()
    {
        await agent.RegisterAsync(registry, Start);
        await cache.FindKeyAsync(agent.Kid, CancellationToken.None);

        cache.Invalidate(agent.Kid);
        await cache.FindKeyAsync(agent.Kid, CancellationToken.None);

        Assert.Equal(2, registry.KeyLookups);
    }

    [Fact]
    public async Task AgentExistsAsync_UnknownThenRegistered_NegativeExpiresPositiveLearntFromKeyLookup()
    {
        Assert.False(await cache.AgentExistsAsync("agent-01", CancellationToken.None));
        await agent.RegisterAsync(registry, Start);
        Assert.False(await cache.AgentExistsAsync("agent-01", CancellationToken.None)); // still within the negative time
        Assert.Equal(1, registry.AgentLookups);

        await cache.FindKeyAsync(agent.Kid, CancellationToken.None); // a found key proves its agent exists
        Assert.True(await cache.AgentExistsAsync("agent-01", CancellationToken.None));
        Assert.Equal(1, registry.AgentLookups);
    }

    public void Dispose()
    {
        cache.Dispose();
        agent.Dispose();
    }
}
