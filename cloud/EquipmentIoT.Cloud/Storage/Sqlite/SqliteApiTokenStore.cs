using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using NodaTime;
using static EquipmentIoT.Cloud.Storage.Sqlite.SqliteRecordValues;

namespace EquipmentIoT.Cloud.Storage.Sqlite;

/// <summary>
/// API tokens in records.db. A token is <c>eqt_</c> + base64url of 32 random bytes (256 bits); only its
/// SHA-256 is stored. Validation hashes whatever was presented and looks the hash up: the index lookup
/// compares hashes, not secrets, so its timing says nothing useful about a token (finding a token from a
/// hash prefix is a preimage search), and the final comparison is fixed-time anyway.
/// </summary>
public sealed class SqliteApiTokenStore : IApiTokenStore, IStoreInitializer
{
    /// <summary>The migration component name in schema_migrations.</summary>
    public const string Component = "tokens";

    /// <summary>Every token starts with this, so that secret scanners and people recognise one.</summary>
    public const string Prefix = "eqt_";

    private const int SecretBytes = 32;
    private const int MaxNameLength = 64;

    /// <summary>The length of every token: the prefix and 43 base64url characters.</summary>
    public static readonly int TokenLength = Prefix.Length + Base64Url.GetEncodedLength(SecretBytes);

    // One live token per name: the name is the actor in the audit log and must say who it was.
    internal static readonly SqliteMigration[] Migrations =
    [
        new(1, "API tokens (SHA-256 only)", """
            CREATE TABLE api_tokens (
                id      INTEGER PRIMARY KEY AUTOINCREMENT,
                name    TEXT NOT NULL,
                role    TEXT NOT NULL,
                hash    BLOB NOT NULL UNIQUE,
                created TEXT NOT NULL,
                expires TEXT,
                revoked TEXT
            );
            CREATE UNIQUE INDEX api_tokens_live_name ON api_tokens (name) WHERE revoked IS NULL;
            """),
    ];

    private const string Columns = "id, name, role, created, expires, revoked";

    private readonly SqliteDatabase _db;

    public SqliteApiTokenStore(SqliteDatabase database) => _db = database ?? throw new ArgumentNullException(nameof(database));

    /// <inheritdoc/>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await SqliteMigrator.ApplyAsync(c, Component, Migrations, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <exception cref="RegistryException">The name is empty, too long, has control characters, or a live token has it; or it expires before it is created.</exception>
    public async Task<CreatedToken> CreateAsync(string name, Role role, Instant at, Instant? expires, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength || name.AsSpan().IndexOfAnyInRange('\0', '\u001f') >= 0)
            throw new RegistryException($"a token name must be 1 to {MaxNameLength} printable characters");
        if (!Enum.IsDefined(role)) throw new RegistryException($"unknown role {role}");
        if (expires is { } e && e <= at) throw new RegistryException("a token must expire after it is created");

        var secret = RandomNumberGenerator.GetBytes(SecretBytes);
        var token = Prefix + Base64Url.EncodeToString(secret);
        CryptographicOperations.ZeroMemory(secret);
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = c.BeginTransaction(deferred: false);
        await using (var live = c.CreateCommand())
        {
            live.Transaction = tx;
            live.CommandText = "SELECT 1 FROM api_tokens WHERE name = $name AND revoked IS NULL";
            Add(live, "$name", name);
            if (await live.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null)
                throw new RegistryException($"a live token named '{name}' exists: revoke it first or choose another name");
        }
        long id;
        await using (var insert = c.CreateCommand())
        {
            insert.Transaction = tx;
            insert.CommandText = """
                INSERT INTO api_tokens (name, role, hash, created, expires) VALUES ($name, $role, $hash, $created, $expires)
                RETURNING id
                """;
            Add(insert, "$name", name);
            Add(insert, "$role", RoleText(role));
            Add(insert, "$hash", Hash(token));
            Add(insert, "$created", Text(at));
            Add(insert, "$expires", Text(expires));
            id = (long)(await insert.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new CreatedToken(new ApiTokenRecord(id, name, role, at, expires, null), token);
    }

    /// <inheritdoc/>
    public async Task<ApiTokenRecord?> ValidateAsync(string token, Instant now, CancellationToken cancellationToken)
    {
        // The shape of a token is public: refusing a malformed one early tells an attacker nothing.
        if (token is null || token.Length != TokenLength || !token.StartsWith(Prefix, StringComparison.Ordinal)) return null;
        var hash = Hash(token);
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var query = c.CreateCommand();
        query.CommandText = $"SELECT {Columns}, hash FROM api_tokens WHERE hash = $hash";
        Add(query, "$hash", hash);
        await using var r = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await r.ReadAsync(cancellationToken).ConfigureAwait(false)) return null;
        var stored = (byte[])r.GetValue(6);
        if (!CryptographicOperations.FixedTimeEquals(stored, hash)) return null;
        var record = Read(r);
        if (record.Revoked is not null) return null;
        if (record.Expires is { } expires && expires <= now) return null;
        return record;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<ApiTokenRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var query = c.CreateCommand();
        query.CommandText = $"SELECT {Columns} FROM api_tokens ORDER BY id";
        var tokens = new List<ApiTokenRecord>();
        await using var r = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false)) tokens.Add(Read(r));
        return tokens;
    }

    /// <inheritdoc/>
    /// <exception cref="RegistryException">No token has this id. Revoking a revoked token changes nothing.</exception>
    public async Task RevokeAsync(long id, Instant at, CancellationToken cancellationToken)
    {
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var tx = c.BeginTransaction(deferred: false);
        if (!await ExistsAsync(c, tx, "api_tokens", id, cancellationToken).ConfigureAwait(false))
            throw new RegistryException($"no token with id {id}");
        await using (var update = c.CreateCommand())
        {
            update.Transaction = tx;
            update.CommandText = "UPDATE api_tokens SET revoked = $at WHERE id = $id AND revoked IS NULL";
            Add(update, "$id", id);
            Add(update, "$at", Text(at));
            await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The lower-case role name as stored and as it appears in claims ("admin").</summary>
    public static string RoleText(Role role) => role.ToString().ToLowerInvariant();

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    private static ApiTokenRecord Read(SqliteDataReader r) =>
        new(r.GetInt64(0), r.GetString(1), Enum.Parse<Role>(r.GetString(2), ignoreCase: true), ReadInstant(r, 3), ReadNullableInstant(r, 4),
            ReadNullableInstant(r, 5));
}
