using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Storage.Sqlite;

namespace EquipmentIoT.Cloud.Scheduling;

/// <summary>
/// <c>scheduler.db</c> in the data directory: Quartz's job store (its <c>QRTZ_</c> tables), kept apart from records.db
/// so that the scheduler's frequent small transactions (acquire, fire, complete, misfire scans) never wait behind
/// ingestion's commits. Our own migration creates the tables (component <see cref="Component"/>); Quartz only
/// validates them at start-up (<c>SchemaProvisioning.Validate</c>), so a schema Quartz does not recognise stops the
/// service with a message naming the table instead of failing at the first firing.
/// </summary>
public sealed class SchedulerDatabase : IStoreInitializer
{
    /// <summary>The file in the data directory.</summary>
    public const string FileName = "scheduler.db";

    /// <summary>The migration component name in scheduler.db's schema_migrations.</summary>
    public const string Component = "quartz";

    /// <summary>The prefix of Quartz's tables (Quartz's default; also what its documentation and tools expect).</summary>
    public const string TablePrefix = "QRTZ_";

    public SchedulerDatabase(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        Database = new SqliteDatabase(Path.Combine(Path.GetFullPath(dataDirectory), FileName));
    }

    /// <summary>The file and the connection settings Quartz uses too (pooling, 30 s busy timeout).</summary>
    public SqliteDatabase Database { get; }

    /// <inheritdoc/>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        // Opening through SqliteDatabase switches the file to WAL, which is persistent: Quartz's own connections
        // then read while another process writes.
        await using var connection = await Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await SqliteMigrator.ApplyAsync(connection, Component, QuartzSchema.Migrations, cancellationToken).ConfigureAwait(false);
    }
}
