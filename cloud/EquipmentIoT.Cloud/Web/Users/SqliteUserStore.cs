using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using NodaTime;
using static EquipmentIoT.Cloud.Storage.Sqlite.SqliteRecordValues;

namespace EquipmentIoT.Cloud.Web.Users;

/// <summary>
/// Web UI users in records.db (component "users"). Names are unique case-insensitively; roles are stored as their
/// lower-case names separated by commas, as the API's tokens spell them.
/// </summary>
public sealed class SqliteUserStore : IUserStore, IStoreInitializer
{
    /// <summary>The migration component name in schema_migrations.</summary>
    public const string Component = "users";

    private const int MaxNameLength = 64;
    private const int MaxDisplayLength = 128;

    internal static readonly SqliteMigration[] Migrations =
    [
        new(1, "web UI users (password hashes, lockout)", """
            CREATE TABLE ui_users (
                id           INTEGER PRIMARY KEY AUTOINCREMENT,
                username     TEXT NOT NULL UNIQUE COLLATE NOCASE,
                display_name TEXT NOT NULL,
                roles        TEXT NOT NULL,
                site         TEXT,
                hash         TEXT NOT NULL,
                failed       INTEGER NOT NULL DEFAULT 0,
                locked_until TEXT,
                locked       INTEGER NOT NULL DEFAULT 0,
                last_sign_in TEXT,
                created      TEXT NOT NULL
            );
            """),
    ];

    private const string Columns = "id, username, display_name, roles, site, failed, locked_until, locked, last_sign_in, created, hash";

    private readonly SqliteDatabase _db;

    public SqliteUserStore(SqliteDatabase database) => _db = database ?? throw new ArgumentNullException(nameof(database));

    /// <inheritdoc/>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await SqliteMigrator.ApplyAsync(c, Component, Migrations, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async Task<UserRecord> AddAsync(NewUser user, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (!IsName(user.Username)) throw new RegistryException($"a user name is 1 to {MaxNameLength} characters from [A-Za-z0-9._@-]");
        if (string.IsNullOrWhiteSpace(user.DisplayName) || user.DisplayName.Length > MaxDisplayLength || HasControl(user.DisplayName))
            throw new RegistryException($"a display name is 1 to {MaxDisplayLength} printable characters");
        if (user.Roles.Count == 0 || user.Roles.Any(r => !Enum.IsDefined(r))) throw new RegistryException("a user needs at least one known role");
        if (user.Site is { } site && (site.Length > MaxNameLength || HasControl(site))) throw new RegistryException("a site id is at most 64 printable characters");

        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var insert = c.CreateCommand();
        insert.CommandText = $"""
            INSERT INTO ui_users (username, display_name, roles, site, hash, created) VALUES ($name, $display, $roles, $site, $hash, $created)
            ON CONFLICT (username) DO NOTHING
            RETURNING {Columns}
            """;
        Add(insert, "$name", user.Username);
        Add(insert, "$display", user.DisplayName.Trim());
        Add(insert, "$roles", RolesText(user.Roles));
        Add(insert, "$site", user.Site);
        Add(insert, "$hash", user.PasswordHash);
        Add(insert, "$created", Text(user.Created));
        await using var r = await insert.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await r.ReadAsync(cancellationToken).ConfigureAwait(false)) throw new RegistryException($"a user named '{user.Username}' exists");
        return Read(r);
    }

    /// <inheritdoc/>
    public async Task<UserRecord?> FindAsync(string username, CancellationToken cancellationToken)
    {
        if (!IsName(username)) return null;
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var query = c.CreateCommand();
        query.CommandText = $"SELECT {Columns} FROM ui_users WHERE username = $name";
        Add(query, "$name", username);
        await using var r = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await r.ReadAsync(cancellationToken).ConfigureAwait(false) ? Read(r) : null;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<UserRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var query = c.CreateCommand();
        query.CommandText = $"SELECT {Columns} FROM ui_users ORDER BY username";
        var users = new List<UserRecord>();
        await using var r = await query.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false)) users.Add(Read(r));
        return users;
    }

    /// <inheritdoc/>
    public async Task SetPasswordHashAsync(string username, string hash, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(hash);
        var changed = await ExecuteAsync("UPDATE ui_users SET hash = $hash, failed = 0, locked_until = NULL WHERE username = $name",
            cancellationToken, ("$name", username), ("$hash", hash)).ConfigureAwait(false);
        if (changed == 0) throw new RegistryException($"no user named '{username}'");
    }

    /// <inheritdoc/>
    public async Task SetLockedAsync(string username, bool locked, CancellationToken cancellationToken)
    {
        var sql = locked
            ? "UPDATE ui_users SET locked = 1 WHERE username = $name"
            : "UPDATE ui_users SET locked = 0, failed = 0, locked_until = NULL WHERE username = $name";
        if (await ExecuteAsync(sql, cancellationToken, ("$name", username)).ConfigureAwait(false) == 0)
            throw new RegistryException($"no user named '{username}'");
    }

    /// <inheritdoc/>
    public async Task<UserRecord> RecordFailureAsync(long id, int lockAfter, Instant lockUntil, CancellationToken cancellationToken)
    {
        // One statement: two failures at once from two instances both count, and exactly one of them locks.
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var update = c.CreateCommand();
        update.CommandText = $"""
            UPDATE ui_users SET
                locked_until = CASE WHEN failed + 1 >= $after THEN $until ELSE locked_until END,
                failed = CASE WHEN failed + 1 >= $after THEN 0 ELSE failed + 1 END
            WHERE id = $id
            RETURNING {Columns}
            """;
        Add(update, "$id", id);
        Add(update, "$after", lockAfter);
        Add(update, "$until", Text(lockUntil));
        await using var r = await update.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await r.ReadAsync(cancellationToken).ConfigureAwait(false)) throw new RegistryException($"no user with id {id}");
        return Read(r);
    }

    /// <inheritdoc/>
    public async Task RecordSuccessAsync(long id, Instant at, string? rehash, CancellationToken cancellationToken) =>
        await ExecuteAsync("UPDATE ui_users SET failed = 0, locked_until = NULL, last_sign_in = $at, hash = coalesce($hash, hash) WHERE id = $id",
            cancellationToken, ("$id", id), ("$at", Text(at)), ("$hash", rehash)).ConfigureAwait(false);

    /// <summary>Roles as stored: "engineer,manager".</summary>
    public static string RolesText(IEnumerable<Role> roles) => string.Join(',', roles.Distinct().Order().Select(SqliteApiTokenStore.RoleText));

    private async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var c = await _db.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = c.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters) Add(command, name, value);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static bool IsName(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= MaxNameLength && name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '.' or '_' or '-' or '@');

    private static bool HasControl(string text) => text.AsSpan().IndexOfAnyInRange('\0', '\u001f') >= 0;

    private static UserRecord Read(SqliteDataReader r) =>
        new(r.GetInt64(0), r.GetString(1), r.GetString(2),
            [.. r.GetString(3).Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => Enum.Parse<Role>(s, ignoreCase: true))],
            r.IsDBNull(4) ? null : r.GetString(4), r.GetInt32(5), ReadNullableInstant(r, 6), r.GetInt64(7) != 0, ReadNullableInstant(r, 8),
            ReadInstant(r, 9), r.GetString(10));
}
