using Microsoft.Data.Sqlite;

namespace EquipmentIoT.Cloud.Storage.Sqlite;

/// <summary>
/// One SQLite database file of the embedded stores: opens connections with the settings every store relies on.
/// WAL lets readers (the API) run beside the single writer (ingestion); synchronous=FULL makes a commit
/// durable before it returns, because the broker is acknowledged after the commit (never lose a reading);
/// busy_timeout lets a second process (a second ingestion instance, a backup) wait for the write lock
/// instead of failing.
/// </summary>
public sealed class SqliteDatabase
{
    /// <summary>How long a connection waits for another writer before SQLITE_BUSY.</summary>
    public static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(30);

    public SqliteDatabase(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Path = System.IO.Path.GetFullPath(path);
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = (int)BusyTimeout.TotalSeconds,
        }.ToString();
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    public string ConnectionString { get; }

    /// <summary>Opens a connection with the pragmas set (WAL, synchronous FULL, foreign keys, busy timeout).</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var directory = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        var connection = new SqliteConnection(ConnectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = $"""
                PRAGMA journal_mode = WAL;
                PRAGMA synchronous = FULL;
                PRAGMA foreign_keys = ON;
                PRAGMA busy_timeout = {(int)BusyTimeout.TotalMilliseconds};
                """;
            await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
