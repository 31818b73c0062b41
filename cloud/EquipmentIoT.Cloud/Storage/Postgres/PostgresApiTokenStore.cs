using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using EquipmentIoT.Cloud.Storage.Sqlite;
using Npgsql;
using NodaTime;
using static EquipmentIoT.Cloud.Storage.Postgres.PostgresCommands;
using static EquipmentIoT.Cloud.Storage.Postgres.PostgresRecordValues;

namespace EquipmentIoT.Cloud.Storage.Postgres;

/// <summary>
/// API tokens on PostgreSQL, table <c>api_tokens</c> as in SQLite, the same token format
/// (<see cref="SqliteApiTokenStore.Prefix"/> + 43 base64url characters) and the same rule: only the SHA-256 of a
/// token is stored, validation looks the hash up and compares it in fixed time. One live token per name, held by a
/// partial unique index so that two instances creating the same name at once cannot both succeed.
/// </summary>
public sealed class PostgresApiTokenStore : IApiTokenStore, IStoreInitializer
{
    /// <summary>The migration component name in schema_migrations.</summary>
    public const string Component = "tokens";

    private const int SecretBytes = 32;
    private const int MaxNameLength = 64;
    private const string Columns = "id, name, role, created, expires, revoked";

    internal static readonly PostgresMigration[] Migrations =
    [
        new(1, "API tokens (SHA-256 only)", """
            CREATE TABLE api_tokens (
                id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                name    text  COLLATE "C" NOT NULL,
                role    text  NOT NULL,
                hash    bytea NOT NULL UNIQUE,
                created text  COLLATE "C" NOT NULL,
                expires text  COLLATE "C",
                revoked text  COLLATE "C"
            );
            CREATE UNIQUE INDEX api_tokens_live_name ON api_tokens (name) WHERE revoked IS NULL;
            """),
    ];

    private readonly PostgresDatabase _db;

    public PostgresApiTokenStore(PostgresDatabase database) => _db = database ?? throw new ArgumentNullException(nameof(database));

    /// <inheritdoc/>
    public Task InitializeAsync(CancellationToken cancellationToken) => PostgresMigrator.ApplyAsync(_db, Component, Migrations, cancellationToken);

    /// <inheritdoc/>
    /// <exception cref="RegistryException">The name is empty, too long, has control characters, or a live token has it; or it expires before it is created.</exception>
    public async Task<CreatedToken> CreateAsync(string name, Role role, Instant at, Instant? expires, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength || name.AsSpan().IndexOfAnyInRange('\0', '\u001f') >= 0)
            throw new RegistryException($"a token name must be 1 to {MaxNameLength} printable characters");
        if (!Enum.IsDefined(role)) throw new RegistryException($"unknown role {role}");
        if (expires is { } e && e <= at) throw new RegistryException("a token must expire after it is created");

        var secret = RandomNumberGenerator.GetBytes(SecretBytes);
        var token = SqliteApiTokenStore.Prefix + Base64Url.EncodeToString(secret);
        CryptographicOperations.ZeroMemory(secret);
        var hash = Hash(token);
        var live = $"a live token named '{name}' exists: revoke it first or choose another name";
        try
        {
            var id = await _db.RunAsync(async (c, tx, ct) =>
            {
                if (await ScalarAsync(c, tx, "SELECT 1 FROM api_tokens WHERE name = $1 AND revoked IS NULL", ct, name).ConfigureAwait(false) is not null)
                    throw new RegistryException(live);
                return (long)(await ScalarAsync(c, tx, "INSERT INTO api_tokens (name, role, hash, created, expires) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                    ct, name, SqliteApiTokenStore.RoleText(role), hash, InstantText(at), InstantText(expires)).ConfigureAwait(false))!;
            }, cancellationToken).ConfigureAwait(false);
            return new CreatedToken(new ApiTokenRecord(id, name, role, at, expires, null), token);
        }
        catch (PostgresException ex) when (IsUniqueViolation(ex))
        {
            throw new RegistryException(live);
        }
    }

    /// <inheritdoc/>
    public async Task<ApiTokenRecord?> ValidateAsync(string token, Instant now, CancellationToken cancellationToken)
    {
        if (token is null || token.Length != SqliteApiTokenStore.TokenLength || !token.StartsWith(SqliteApiTokenStore.Prefix, StringComparison.Ordinal)) return null;
        var hash = Hash(token);
        var rows = await _db.RunAsync(async (c, tx, ct) => await ReadAllAsync(c, tx, $"SELECT {Columns}, hash FROM api_tokens WHERE hash = $1",
            r => (Record: Read(r), Hash: (byte[])r.GetValue(6)), ct, hash).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        if (rows.Count != 1 || !CryptographicOperations.FixedTimeEquals(rows[0].Hash, hash)) return null;
        var record = rows[0].Record;
        if (record.Revoked is not null) return null;
        if (record.Expires is { } expires && expires <= now) return null;
        return record;
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<ApiTokenRecord>> ListAsync(CancellationToken cancellationToken) =>
        _db.RunAsync<IReadOnlyList<ApiTokenRecord>>(async (c, tx, ct) => await ReadAllAsync(c, tx, $"SELECT {Columns} FROM api_tokens ORDER BY id", Read, ct)
            .ConfigureAwait(false), cancellationToken);

    /// <inheritdoc/>
    /// <exception cref="RegistryException">No token has this id. Revoking a revoked token changes nothing.</exception>
    public Task RevokeAsync(long id, Instant at, CancellationToken cancellationToken) =>
        _db.RunAsync(async (c, tx, ct) =>
        {
            if (await ScalarAsync(c, tx, "SELECT 1 FROM api_tokens WHERE id = $1", ct, id).ConfigureAwait(false) is null)
                throw new RegistryException($"no token with id {id}");
            await ExecuteAsync(c, tx, "UPDATE api_tokens SET revoked = $2 WHERE id = $1 AND revoked IS NULL", ct, id, InstantText(at)).ConfigureAwait(false);
        }, cancellationToken);

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    private static ApiTokenRecord Read(NpgsqlDataReader r) =>
        new(r.GetInt64(0), r.GetString(1), Enum.Parse<Role>(r.GetString(2), ignoreCase: true), ReadInstant(r, 3), ReadNullableInstant(r, 4),
            ReadNullableInstant(r, 5));
}
