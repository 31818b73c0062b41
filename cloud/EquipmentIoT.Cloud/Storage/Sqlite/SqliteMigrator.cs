using Microsoft.Data.Sqlite;

namespace EquipmentIoT.Cloud.Storage.Sqlite;

/// <summary>One schema step: applied once, in version order, inside a transaction with its bookkeeping row.</summary>
/// <param name="Version">1, 2, 3, … per component; never renumbered, never edited once released.</param>
/// <param name="Description">What it does, for the log and the schema_migrations table.</param>
/// <param name="Sql">The statements.</param>
public sealed record SqliteMigration(int Version, string Description, string Sql);

/// <summary>
/// Applies schema migrations per component ("ledger", "series", "registry", …), so that several stores can
/// share one database file and each evolves its own tables. The bookkeeping table is
/// <c>schema_migrations(component, version, description, applied_at)</c>. A database written by a newer
/// release (a version this build does not know) is refused rather than guessed at.
/// </summary>
public static class SqliteMigrator
{
    /// <summary>Brings <paramref name="component"/>'s tables up to the newest of <paramref name="migrations"/>; returns how many steps ran.</summary>
    public static async Task<int> ApplyAsync(SqliteConnection connection, string component, IReadOnlyList<SqliteMigration> migrations,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentException.ThrowIfNullOrEmpty(component);
        ArgumentNullException.ThrowIfNull(migrations);
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
                throw new InvalidOperationException($"migrations of '{component}' must be numbered 1, 2, 3, … without holes (found {migrations[i].Version} at position {i + 1})");
        }

        await ExecuteAsync(connection, null, """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                component   TEXT    NOT NULL,
                version     INTEGER NOT NULL,
                description TEXT    NOT NULL,
                applied_at  TEXT    NOT NULL,
                PRIMARY KEY (component, version)
            ) WITHOUT ROWID;
            """, cancellationToken).ConfigureAwait(false);

        var applied = 0;
        while (true)
        {
            // BEGIN IMMEDIATE takes the write lock first: two processes starting at once apply each step once.
            await using var transaction = connection.BeginTransaction(deferred: false);
            var current = await CurrentVersionAsync(connection, transaction, component, cancellationToken).ConfigureAwait(false);
            if (current > migrations.Count)
                throw new InvalidOperationException($"the database's '{component}' schema is at version {current}, newer than this build knows ({migrations.Count}): use a newer eqiot or restore a backup");
            if (current == migrations.Count)
            {
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return applied;
            }

            var step = migrations[(int)current];
            await ExecuteAsync(connection, transaction, step.Sql, cancellationToken).ConfigureAwait(false);
            await using (var record = connection.CreateCommand())
            {
                record.Transaction = transaction;
                record.CommandText = "INSERT INTO schema_migrations (component, version, description, applied_at) VALUES ($c, $v, $d, $t)";
                record.Parameters.AddWithValue("$c", component);
                record.Parameters.AddWithValue("$v", step.Version);
                record.Parameters.AddWithValue("$d", step.Description);
                record.Parameters.AddWithValue("$t", DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
                await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            applied++;
        }
    }

    /// <summary>The newest applied version of a component (0 when none).</summary>
    public static async Task<long> CurrentVersionAsync(SqliteConnection connection, SqliteTransaction? transaction, string component,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var query = connection.CreateCommand();
        query.Transaction = transaction;
        query.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations WHERE component = $c";
        query.Parameters.AddWithValue("$c", component);
        return (long)(await query.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
