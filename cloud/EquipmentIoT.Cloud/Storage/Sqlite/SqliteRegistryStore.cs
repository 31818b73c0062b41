using System.Security.Cryptography;
using EquipmentIoT.Protocols.Telemetry.Jose;
using EquipmentIoT.Protocols.Telemetry.Topics;
using Microsoft.Data.Sqlite;
using EquipmentIoT.Cloud.Registry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;
using static EquipmentIoT.Cloud.Storage.Sqlite.SqliteRecordValues;

namespace EquipmentIoT.Cloud.Storage.Sqlite;

/// <summary>
/// The registry in records.db: agents and their keys (kid = RFC 7638 thumbprint, unique across all agents),
/// devices with their asset records, and sites. Rule violations raise <see cref="RegistryException"/>
/// naming the problem; SQLite failures propagate as they are (an outage is not a "not found").
/// </summary>
public sealed partial class SqliteRegistryStore : IRegistryStore, IStoreInitializer
{
    private const string KeyColumns = "kid, agent_id, public_key_pem, added, revoked, revoked_reason";

    private readonly SqliteDatabase _db;
    private readonly ILogger _logger;

    public SqliteRegistryStore(SqliteDatabase database, ILogger<SqliteRegistryStore>? logger = null)
    {
        _db = database ?? throw new ArgumentNullException(nameof(database));
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <inheritdoc/>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await SqliteMigrator.ApplyAsync(c, Component, Migrations, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<AgentRecord> AddAgentAsync(NewAgent agent, CancellationToken cancellationToken)
    {
        RegistryRules.CheckNewAgent(agent);
        var (kid, pem) = RegistryRules.ReadKey(agent.PublicKeyPem, $"the public key of agent '{agent.Id}'");

        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = c.BeginTransaction(deferred: false);
        if (await ExistsAsync(c, tx, "agents", agent.Id, cancellationToken).ConfigureAwait(false))
            throw new RegistryException($"agent '{agent.Id}' is already registered");
        await using (var insert = c.CreateCommand())
        {
            insert.Transaction = tx;
            insert.CommandText = "INSERT INTO agents (id, site, description, registered) VALUES ($id, $site, $description, $at)";
            Add(insert, "$id", agent.Id);
            Add(insert, "$site", agent.Site);
            Add(insert, "$description", agent.Description);
            Add(insert, "$at", Text(agent.At));
            await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        var key = await InsertKeyAsync(c, tx, agent.Id, kid, pem, agent.At, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        RegistryLog.AgentRegistered(_logger, agent.Id, kid);
        return new AgentRecord(agent.Id, agent.Site, agent.Description, agent.At, null, [key]);
    }

    /// <inheritdoc/>
    public async Task<AgentRecord?> GetAgentAsync(string agentId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agentId);
        var agents = await ReadAgentsAsync(agentId, cancellationToken).ConfigureAwait(false);
        return agents.Count == 0 ? null : agents[0];
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<AgentRecord>> ListAgentsAsync(CancellationToken cancellationToken) => ReadAgentsAsync(null, cancellationToken);

    /// <inheritdoc/>
    public async Task<AgentKeyRecord> AddKeyAsync(string agentId, string publicKeyPem, Instant at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agentId);
        var (kid, pem) = RegistryRules.ReadKey(publicKeyPem, $"the new public key of agent '{agentId}'");
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = c.BeginTransaction(deferred: false);
        if (!await ExistsAsync(c, tx, "agents", agentId, cancellationToken).ConfigureAwait(false))
            throw new RegistryException($"no agent '{agentId}' is registered");
        var key = await InsertKeyAsync(c, tx, agentId, kid, pem, at, cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        RegistryLog.KeyAdded(_logger, agentId, kid);
        return key;
    }

    /// <inheritdoc/>
    public async Task<AgentKeyRecord> RevokeKeyAsync(string kid, string reason, Instant at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kid);
        RegistryRules.CheckRevocation(kid, reason);
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = c.BeginTransaction(deferred: false);
        var key = await FindKeyAsync(c, tx, kid, cancellationToken).ConfigureAwait(false)
            ?? throw new RegistryException($"no key with kid '{kid}' is registered");
        if (key.IsRevoked)
        {
            // Idempotent: the first revocation's time and reason stand.
            await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
            return key;
        }
        await using (var update = c.CreateCommand())
        {
            update.Transaction = tx;
            update.CommandText = "UPDATE agent_keys SET revoked = $at, revoked_reason = $reason WHERE kid = $kid";
            Add(update, "$at", Text(at));
            Add(update, "$reason", reason);
            Add(update, "$kid", kid);
            await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        long live;
        await using (var count = c.CreateCommand())
        {
            count.Transaction = tx;
            count.CommandText = "SELECT COUNT(*) FROM agent_keys WHERE agent_id = $agent AND revoked IS NULL";
            Add(count, "$agent", key.AgentId);
            live = (long)(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        RegistryLog.KeyRevoked(_logger, key.AgentId, kid);
        if (live == 0) RegistryLog.LastKeyRevoked(_logger, key.AgentId, kid);
        return key with { Revoked = at, RevokedReason = reason };
    }

    /// <inheritdoc/>
    public async Task<AgentKeyRecord?> FindKeyAsync(string kid, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kid);
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await FindKeyAsync(c, null, kid, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<AgentKeyRecord>> ListKeysAsync(string agentId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agentId);
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var query = c.CreateCommand();
        query.CommandText = $"SELECT {KeyColumns} FROM agent_keys WHERE agent_id = $agent ORDER BY added, kid";
        Add(query, "$agent", agentId);
        return await ReadKeysAsync(query, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The kid and the normalised PEM of a P-256 SubjectPublicKeyInfo; anything else is a <see cref="RegistryException"/>.</summary>
    private async Task<IReadOnlyList<AgentRecord>> ReadAgentsAsync(string? agentId, CancellationToken cancellationToken)
    {
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        // One read transaction so that agents and keys are from the same snapshot.
        await using var tx = c.BeginTransaction(deferred: true);
        var keys = new Dictionary<string, List<AgentKeyRecord>>(StringComparer.Ordinal);
        await using (var keyQuery = c.CreateCommand())
        {
            keyQuery.Transaction = tx;
            keyQuery.CommandText = $"SELECT {KeyColumns} FROM agent_keys WHERE $agent IS NULL OR agent_id = $agent ORDER BY added, kid";
            Add(keyQuery, "$agent", agentId);
            foreach (var key in await ReadKeysAsync(keyQuery, cancellationToken).ConfigureAwait(false))
            {
                if (!keys.TryGetValue(key.AgentId, out var list)) keys[key.AgentId] = list = [];
                list.Add(key);
            }
        }
        var agents = new List<AgentRecord>();
        await using (var query = c.CreateCommand())
        {
            query.Transaction = tx;
            query.CommandText = "SELECT id, site, description, registered, last_seen FROM agents WHERE $agent IS NULL OR id = $agent ORDER BY id";
            Add(query, "$agent", agentId);
            await using var r = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var id = r.GetString(0);
                agents.Add(new AgentRecord(id, r.GetStringOrNull(1), r.GetStringOrNull(2), ReadInstant(r, 3), ReadNullableInstant(r, 4),
                    keys.TryGetValue(id, out var list) ? list : []));
            }
        }
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return agents;
    }

    private static async Task<AgentKeyRecord> InsertKeyAsync(SqliteConnection c, SqliteTransaction tx, string agentId, string kid, string pem,
        Instant at, CancellationToken cancellationToken)
    {
        if (await FindKeyAsync(c, tx, kid, cancellationToken).ConfigureAwait(false) is { } existing)
        {
            throw new RegistryException(existing.AgentId == agentId
                ? $"key {kid} is already registered for agent '{agentId}'"
                : $"key {kid} is already registered for another agent ('{existing.AgentId}'); every agent needs its own key");
        }
        await using var insert = c.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = "INSERT INTO agent_keys (kid, agent_id, public_key_pem, added) VALUES ($kid, $agent, $pem, $at)";
        Add(insert, "$kid", kid);
        Add(insert, "$agent", agentId);
        Add(insert, "$pem", pem);
        Add(insert, "$at", Text(at));
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return new AgentKeyRecord(kid, agentId, pem, at, null, null);
    }

    private static async Task<AgentKeyRecord?> FindKeyAsync(SqliteConnection c, SqliteTransaction? tx, string kid, CancellationToken cancellationToken)
    {
        await using var query = c.CreateCommand();
        query.Transaction = tx;
        query.CommandText = $"SELECT {KeyColumns} FROM agent_keys WHERE kid = $kid";
        Add(query, "$kid", kid);
        var keys = await ReadKeysAsync(query, cancellationToken).ConfigureAwait(false);
        return keys.Count == 0 ? null : keys[0];
    }

    private static async Task<List<AgentKeyRecord>> ReadKeysAsync(SqliteCommand query, CancellationToken cancellationToken)
    {
        var keys = new List<AgentKeyRecord>();
        await using var r = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            keys.Add(new AgentKeyRecord(r.GetString(0), r.GetString(1), r.GetString(2), ReadInstant(r, 3), ReadNullableInstant(r, 4),
                r.GetStringOrNull(5)));
        }
        return keys;
    }
}
