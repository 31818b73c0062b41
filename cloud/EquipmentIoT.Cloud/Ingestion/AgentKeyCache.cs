using System.Collections.Concurrent;
using System.Security.Cryptography;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Protocols.Telemetry.Jose;
using Microsoft.Extensions.Options;
using NodaTime;

namespace EquipmentIoT.Cloud.Ingestion;

/// <summary>A registered key with its public key ready for verification.</summary>
/// <param name="Record">The registry's record (agent, revocation).</param>
/// <param name="Key">The P-256 public key; owned by the cache.</param>
public sealed record CachedKey(AgentKeyRecord Record, ECDsa Key);

/// <summary>
/// Keys and agents of the registry as ingestion needs them, per message: found keys are trusted for
/// <see cref="IngestionOptions.KeyCacheTime"/> (then read again, so that a revocation made through
/// another instance takes effect within that time), and "no such key / agent" for
/// <see cref="IngestionOptions.NegativeCacheTime"/> (a flood of made-up kids does not reach the registry).
/// A kid is the thumbprint of its key, so a refreshed entry keeps the imported key object. Thread-safe.
/// </summary>
public sealed class AgentKeyCache : IDisposable
{
    // Made-up kids must not grow the cache without bound: past this many entries, expired ones are dropped.
    private const int PurgeAbove = 10_000;

    private readonly IRegistryStore _registry;
    private readonly IClock _clock;
    private readonly Duration _keyTime;
    private readonly Duration _negativeTime;
    private readonly ConcurrentDictionary<string, (CachedKey? Key, Instant Expires)> _keys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (bool Exists, Instant Expires)> _agents = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<ECDsa> _imported = [];

    /// <summary>Creates the cache.</summary>
    public AgentKeyCache(IRegistryStore registry, IClock clock, IOptions<IngestionOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _registry = registry;
        _clock = clock;
        _keyTime = Duration.FromTimeSpan(options.Value.KeyCacheTime);
        _negativeTime = Duration.FromTimeSpan(options.Value.NegativeCacheTime);
    }

    /// <summary>The key registered under <paramref name="kid"/> (revoked or not), or null when there is none.</summary>
    public ValueTask<CachedKey?> FindKeyAsync(string kid, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kid);
        var now = _clock.GetCurrentInstant();
        return _keys.TryGetValue(kid, out var entry) && entry.Expires > now
            ? ValueTask.FromResult(entry.Key)
            : LoadKeyAsync(kid, entry.Key, now, cancellationToken);
    }

    /// <summary>Whether an agent with this id is registered.</summary>
    public ValueTask<bool> AgentExistsAsync(string agentId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agentId);
        var now = _clock.GetCurrentInstant();
        return _agents.TryGetValue(agentId, out var entry) && entry.Expires > now
            ? ValueTask.FromResult(entry.Exists)
            : LoadAgentAsync(agentId, now, cancellationToken);
    }

    /// <summary>Forgets what is known about a key (call after revoking or adding it in this process).</summary>
    public void Invalidate(string kid) => _keys.TryRemove(kid, out _);

    /// <summary>Forgets what is known about an agent (call after registering it in this process).</summary>
    public void InvalidateAgent(string agentId) => _agents.TryRemove(agentId, out _);

    /// <inheritdoc/>
    public void Dispose()
    {
        _keys.Clear();
        while (_imported.TryTake(out var key)) key.Dispose();
    }

    private async ValueTask<CachedKey?> LoadKeyAsync(string kid, CachedKey? previous, Instant now, CancellationToken cancellationToken)
    {
        var record = await _registry.FindKeyAsync(kid, cancellationToken).ConfigureAwait(false);
        CachedKey? found = null;
        if (record is not null)
        {
            // The registry checked the key when it was registered; a key it cannot give back is a broken store,
            // reported by the exception (the message stays unacknowledged and is redelivered).
            var key = previous is not null && previous.Record.PublicKeyPem == record.PublicKeyPem ? previous.Key : Import(record);
            found = new CachedKey(record, key);
        }
        if (_keys.Count > PurgeAbove) Purge(_keys, now);
        _keys[kid] = (found, now + (found is null ? _negativeTime : _keyTime));
        if (found is not null) _agents[found.Record.AgentId] = (true, now + _keyTime);
        return found;
    }

    private async ValueTask<bool> LoadAgentAsync(string agentId, Instant now, CancellationToken cancellationToken)
    {
        var exists = await _registry.GetAgentAsync(agentId, cancellationToken).ConfigureAwait(false) is not null;
        if (_agents.Count > PurgeAbove) Purge(_agents, now);
        _agents[agentId] = (exists, now + (exists ? _keyTime : _negativeTime));
        return exists;
    }

    private ECDsa Import(AgentKeyRecord record)
    {
        var key = AgentKeys.ImportPublicKeyPem(record.PublicKeyPem, $"the registered key {record.Kid} of agent {record.AgentId}");
        _imported.Add(key);
        return key;
    }

    private static void Purge<T>(ConcurrentDictionary<string, (T Value, Instant Expires)> cache, Instant now)
    {
        foreach (var (id, entry) in cache)
        {
            if (entry.Expires <= now) cache.TryRemove(id, out _);
        }
    }
}
