using System.Data;
using EquipmentIoT.Cloud.Storage.Sqlite;
using EquipmentIoT.Protocols.Telemetry.Topics;
using EquipmentIoT.Cloud.Registry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NodaTime;
using static EquipmentIoT.Cloud.Storage.Postgres.PostgresCommands;
using static EquipmentIoT.Cloud.Storage.Postgres.PostgresRecordValues;

namespace EquipmentIoT.Cloud.Storage.Postgres;

/// <summary>
/// The registry on PostgreSQL, with the tables and rules of <see cref="SqliteRegistryStore"/>: agents and their
/// keys (kid unique across all agents), devices with their asset records, and sites. Rule violations raise
/// <see cref="RegistryException"/> — also when another instance registered the same id or key a moment before
/// (the unique constraint decides); database failures propagate (an outage is not a "not found").
/// </summary>
public sealed partial class PostgresRegistryStore : IRegistryStore, IStoreInitializer
{
    private const string KeyColumns = "kid, agent_id, public_key_pem, added, revoked, revoked_reason";

    private readonly PostgresDatabase _db;
    private readonly ILogger _logger;

    public PostgresRegistryStore(PostgresDatabase database, ILogger<PostgresRegistryStore>? logger = null)
    {
        _db = database ?? throw new ArgumentNullException(nameof(database));
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <inheritdoc/>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var applied = await PostgresMigrator.ApplyAsync(_db, Component, Migrations, cancellationToken).ConfigureAwait(false);
        PostgresLog.Migrated(_logger, Component, _db.Name, applied);
    }

    /// <inheritdoc/>
    public async Task<AgentRecord> AddAgentAsync(NewAgent agent, CancellationToken cancellationToken)
    {
        RegistryRules.CheckNewAgent(agent);
        var (kid, pem) = RegistryRules.ReadKey(agent.PublicKeyPem, $"the public key of agent '{agent.Id}'");
        var key = await UniqueAsync(() => _db.RunAsync(async (c, tx, ct) =>
        {
            if (await ScalarAsync(c, tx, "SELECT 1 FROM agents WHERE id = $1", ct, agent.Id).ConfigureAwait(false) is not null)
                throw new RegistryException($"agent '{agent.Id}' is already registered");
            await ExecuteAsync(c, tx, "INSERT INTO agents (id, site, description, registered) VALUES ($1, $2, $3, $4)", ct,
                agent.Id, agent.Site, agent.Description, InstantText(agent.At)).ConfigureAwait(false);
            return await InsertKeyAsync(c, tx, agent.Id, kid, pem, agent.At, ct).ConfigureAwait(false);
        }, cancellationToken), $"agent '{agent.Id}' or key {kid} is already registered").ConfigureAwait(false);
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
        var key = await UniqueAsync(() => _db.RunAsync(async (c, tx, ct) =>
        {
            if (await ScalarAsync(c, tx, "SELECT 1 FROM agents WHERE id = $1", ct, agentId).ConfigureAwait(false) is null)
                throw new RegistryException($"no agent '{agentId}' is registered");
            return await InsertKeyAsync(c, tx, agentId, kid, pem, at, ct).ConfigureAwait(false);
        }, cancellationToken), $"key {kid} is already registered").ConfigureAwait(false);
        RegistryLog.KeyAdded(_logger, agentId, kid);
        return key;
    }

    /// <inheritdoc/>
    public async Task<AgentKeyRecord> RevokeKeyAsync(string kid, string reason, Instant at, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kid);
        RegistryRules.CheckRevocation(kid, reason);
        var (key, live) = await _db.RunAsync(async (c, tx, ct) =>
        {
            // FOR UPDATE: two instances revoking at once agree on the first revocation's time and reason.
            var keys = await ReadAllAsync(c, tx, $"SELECT {KeyColumns} FROM agent_keys WHERE kid = $1 FOR UPDATE", ReadKeyRecord, ct, kid).ConfigureAwait(false);
            var found = keys.Count == 1 ? keys[0] : throw new RegistryException($"no key with kid '{kid}' is registered");
            if (found.IsRevoked) return (found, -1L); // idempotent: the first revocation stands
            await ExecuteAsync(c, tx, "UPDATE agent_keys SET revoked = $2, revoked_reason = $3 WHERE kid = $1", ct, kid, InstantText(at), reason)
                .ConfigureAwait(false);
            var count = (long)(await ScalarAsync(c, tx, "SELECT COUNT(*) FROM agent_keys WHERE agent_id = $1 AND revoked IS NULL", ct, found.AgentId)
                .ConfigureAwait(false))!;
            return (found with { Revoked = at, RevokedReason = reason }, count);
        }, cancellationToken).ConfigureAwait(false);
        if (live < 0) return key;
        RegistryLog.KeyRevoked(_logger, key.AgentId, kid);
        if (live == 0) RegistryLog.LastKeyRevoked(_logger, key.AgentId, kid);
        return key;
    }

    /// <inheritdoc/>
    public Task<AgentKeyRecord?> FindKeyAsync(string kid, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kid);
        return _db.RunAsync(async (c, tx, ct) =>
        {
            var keys = await ReadAllAsync(c, tx, $"SELECT {KeyColumns} FROM agent_keys WHERE kid = $1", ReadKeyRecord, ct, kid).ConfigureAwait(false);
            return keys.Count == 0 ? null : keys[0];
        }, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<AgentKeyRecord>> ListKeysAsync(string agentId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agentId);
        return _db.RunAsync<IReadOnlyList<AgentKeyRecord>>(async (c, tx, ct) => await ReadAllAsync(c, tx,
            $"SELECT {KeyColumns} FROM agent_keys WHERE agent_id = $1 ORDER BY added, kid", ReadKeyRecord, ct, agentId).ConfigureAwait(false),
            cancellationToken);
    }

    /// <summary>Agents with their keys, from one snapshot (REPEATABLE READ).</summary>
    private Task<IReadOnlyList<AgentRecord>> ReadAgentsAsync(string? agentId, CancellationToken cancellationToken) =>
        _db.RunAsync<IReadOnlyList<AgentRecord>>(async (c, tx, ct) =>
        {
            var keys = new Dictionary<string, List<AgentKeyRecord>>(StringComparer.Ordinal);
            foreach (var key in await ReadAllAsync(c, tx, $"SELECT {KeyColumns} FROM agent_keys WHERE $1::text IS NULL OR agent_id = $1 ORDER BY added, kid",
                ReadKeyRecord, ct, agentId).ConfigureAwait(false))
            {
                if (!keys.TryGetValue(key.AgentId, out var list)) keys[key.AgentId] = list = [];
                list.Add(key);
            }
            return await ReadAllAsync(c, tx, "SELECT id, site, description, registered, last_seen FROM agents WHERE $1::text IS NULL OR id = $1 ORDER BY id",
                r => new AgentRecord(r.GetString(0), r.GetStringOrNull(1), r.GetStringOrNull(2), ReadInstant(r, 3), ReadNullableInstant(r, 4),
                    keys.TryGetValue(r.GetString(0), out var list) ? list : []), ct, agentId).ConfigureAwait(false);
        }, cancellationToken, IsolationLevel.RepeatableRead);

    private static async Task<AgentKeyRecord> InsertKeyAsync(NpgsqlConnection c, NpgsqlTransaction tx, string agentId, string kid, string pem,
        Instant at, CancellationToken cancellationToken)
    {
        var existing = await ReadAllAsync(c, tx, $"SELECT {KeyColumns} FROM agent_keys WHERE kid = $1", ReadKeyRecord, cancellationToken, kid)
            .ConfigureAwait(false);
        if (existing.Count == 1)
        {
            throw new RegistryException(existing[0].AgentId == agentId
                ? $"key {kid} is already registered for agent '{agentId}'"
                : $"key {kid} is already registered for another agent ('{existing[0].AgentId}'); every agent needs its own key");
        }
        await ExecuteAsync(c, tx, "INSERT INTO agent_keys (kid, agent_id, public_key_pem, added) VALUES ($1, $2, $3, $4)", cancellationToken,
            kid, agentId, pem, InstantText(at)).ConfigureAwait(false);
        return new AgentKeyRecord(kid, agentId, pem, at, null, null);
    }

    private static AgentKeyRecord ReadKeyRecord(NpgsqlDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), ReadInstant(r, 3), ReadNullableInstant(r, 4), r.GetStringOrNull(5));

    /// <summary>Runs a registration; a unique violation (another instance registered the same a moment before) becomes a <see cref="RegistryException"/>.</summary>
    private static async Task<T> UniqueAsync<T>(Func<Task<T>> run, string message)
    {
        try
        {
            return await run().ConfigureAwait(false);
        }
        catch (PostgresException ex) when (IsUniqueViolation(ex))
        {
            throw new RegistryException(message);
        }
    }
}
