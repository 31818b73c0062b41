using System.Globalization;
using Npgsql;

namespace EquipmentIoT.Cloud.Storage.Postgres;

/// <summary>One schema step of a component: applied once, in version order, in the transaction that records it.</summary>
/// <param name="Version">1, 2, 3, … per component; never renumbered, never edited once released.</param>
public sealed record PostgresMigration(int Version, string Description, string Sql);

/// <summary>
/// The PostgreSQL twin of <c>SqliteMigrator</c>: per-component versions in <c>schema_migrations(component,
/// version, description, applied_at)</c>, a database from a newer release refused. Every call takes one
/// transaction-scoped advisory lock first, so that several cloud instances starting at once apply each step
/// exactly once (the others wait, then find it applied).
/// </summary>
public static class PostgresMigrator
{
    /// <summary>The advisory lock key of schema changes ("eqiotmig" as ASCII).</summary>
    private const long MigrationLock = 0x6571696F_746D6967;

    /// <summary>Brings <paramref name="component"/>'s tables up to the newest of <paramref name="migrations"/>; returns how many steps ran.</summary>
    public static Task<int> ApplyAsync(PostgresDatabase database, string component, IReadOnlyList<PostgresMigration> migrations,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentException.ThrowIfNullOrEmpty(component);
        ArgumentNullException.ThrowIfNull(migrations);
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
                throw new InvalidOperationException($"migrations of '{component}' must be numbered 1, 2, 3, … without holes (found {migrations[i].Version} at position {i + 1})");
        }

        return database.RunAsync(async (c, tx, ct) =>
        {
            await PostgresCommands.ExecuteAsync(c, tx, "SELECT pg_advisory_xact_lock($1)", ct, MigrationLock).ConfigureAwait(false);
            await PostgresCommands.ExecuteAsync(c, tx, """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    component   text    COLLATE "C" NOT NULL,
                    version     integer NOT NULL,
                    description text    NOT NULL,
                    applied_at  text    NOT NULL,
                    PRIMARY KEY (component, version)
                )
                """, ct).ConfigureAwait(false);
            var current = await CurrentVersionAsync(c, tx, component, ct).ConfigureAwait(false);
            if (current > migrations.Count)
                throw new InvalidOperationException($"the database's '{component}' schema is at version {current}, newer than this build knows ({migrations.Count}): use a newer eqiot or restore a backup");
            var applied = 0;
            foreach (var step in migrations.Skip((int)current))
            {
                await PostgresCommands.ExecuteAsync(c, tx, step.Sql, ct).ConfigureAwait(false);
                await PostgresCommands.ExecuteAsync(c, tx,
                    "INSERT INTO schema_migrations (component, version, description, applied_at) VALUES ($1, $2, $3, $4)", ct,
                    component, step.Version, step.Description, DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture)).ConfigureAwait(false);
                applied++;
            }
            return applied;
        }, cancellationToken);
    }

    /// <summary>The newest applied version of a component (0 when none, or when nothing was ever migrated).</summary>
    public static Task<long> CurrentVersionAsync(PostgresDatabase database, string component, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        return database.RunAsync(async (c, tx, ct) =>
            await PostgresCommands.ScalarAsync(c, tx, "SELECT to_regclass('schema_migrations') IS NOT NULL", ct).ConfigureAwait(false) is true
                ? await CurrentVersionAsync(c, tx, component, ct).ConfigureAwait(false)
                : 0L, cancellationToken);
    }

    private static async Task<long> CurrentVersionAsync(NpgsqlConnection c, NpgsqlTransaction tx, string component, CancellationToken cancellationToken) =>
        Convert.ToInt64(await PostgresCommands.ScalarAsync(c, tx, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations WHERE component = $1",
            cancellationToken, component).ConfigureAwait(false), CultureInfo.InvariantCulture);
}
