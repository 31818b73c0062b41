using System.IO.Compression;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using NodaTime;

namespace EquipmentIoT.Cloud.Storage.Sqlite;

/// <summary>
/// Online backup and offline restore of the embedded stores: every <c>*.db</c> of a data directory, copied
/// with SQLite's online backup API (a consistent snapshot of each file while ingestion keeps writing; WAL
/// readers do not block the writer), packed into one zip with a <see cref="BackupManifest"/>.
/// <para>
/// The files are copied one after another, so they are snapshots of slightly different moments. series.db is
/// copied first and records.db after it: every batch in the series copy is then also in the ledger copy (the
/// ledger commits a batch before its points are written). Batches whose points were written to the series
/// store only after its copy was taken, but marked written in the ledger before the ledger's copy, are marked
/// "series pending" again in the copy, so that the restored instance writes their points again (idempotently).
/// </para>
/// </summary>
public static partial class SqliteBackup
{
    /// <summary>Backs up <paramref name="dataDirectory"/> into <paramref name="file"/> (replaced atomically when it exists).</summary>
    /// <exception cref="BackupException">A restore runs on the directory, or it holds no database.</exception>
    public static async Task<BackupManifest> BackupAsync(string dataDirectory, string file, IClock clock, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        ArgumentException.ThrowIfNullOrEmpty(file);
        ArgumentNullException.ThrowIfNull(clock);
        var directory = Path.GetFullPath(dataDirectory);
        var output = Path.GetFullPath(file);
        var databases = Directory.Exists(directory)
            ? Directory.GetFiles(directory, "*.db").Select(Path.GetFileName).OrderBy(BackupOrder).ThenBy(n => n, StringComparer.Ordinal).ToList()
            : [];
        if (databases.Count == 0) throw new BackupException(BackupRefusal.NothingToBackUp, $"{directory} holds no *.db file to back up");

        using var held = LockOrRefuse(directory, DataDirectoryLockMode.Shared);
        var staging = Directory.CreateDirectory(output + ".staging-" + Guid.NewGuid().ToString("N")[..8]).FullName;
        try
        {
            long? seriesMark = null;
            foreach (var name in databases)
            {
                await CopyOnlineAsync(Path.Combine(directory, name!), Path.Combine(staging, name!), cancellationToken).ConfigureAwait(false);
                if (name == SqliteDataFiles.Series) seriesMark = await WrittenMarkAsync(Path.Combine(staging, name), cancellationToken).ConfigureAwait(false);
            }
            if (seriesMark is { } mark && databases.Contains(SqliteDataFiles.Records))
                await ReopenSeriesWrittenSinceAsync(directory, staging, mark, cancellationToken).ConfigureAwait(false);

            var files = new List<BackupFile>();
            foreach (var name in databases) files.Add(await DescribeAsync(Path.Combine(staging, name!), cancellationToken).ConfigureAwait(false));
            var batches = databases.Contains(SqliteDataFiles.Records)
                ? await CountBatchesAsync(Path.Combine(staging, SqliteDataFiles.Records), cancellationToken).ConfigureAwait(false)
                : 0;
            var manifest = new BackupManifest(BackupManifest.CurrentFormat, clock.GetCurrentInstant(), batches, files);
            await PackAsync(staging, manifest, output, cancellationToken).ConfigureAwait(false);
            return manifest;
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
    }

    private static int BackupOrder(string? name) => name == SqliteDataFiles.Series ? 0 : 1;

    private static DataDirectoryLock LockOrRefuse(string directory, DataDirectoryLockMode mode)
    {
        try
        {
            return DataDirectoryLock.Acquire(directory, mode);
        }
        catch (DataDirectoryLockedException ex)
        {
            throw new BackupException(BackupRefusal.Locked, ex.Message, ex);
        }
    }

    /// <summary>A consistent copy of a live database, as one self-contained file (rollback journal mode, no -wal).</summary>
    private static async Task CopyOnlineAsync(string source, string destination, CancellationToken cancellationToken)
    {
        await using var from = await new SqliteDatabase(source).OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var to = await OpenCopyAsync(destination, SqliteOpenMode.ReadWriteCreate, cancellationToken).ConfigureAwait(false);
        // One step over all pages: a single read transaction on the source, so the copy is one snapshot.
        await Task.Run(() => from.BackupDatabase(to), cancellationToken).ConfigureAwait(false);
        await SqliteCommands.ExecuteAsync(to, null, "PRAGMA journal_mode = DELETE", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The newest written_batches row of a series copy (0 when none).</summary>
    private static Task<long> WrittenMarkAsync(string seriesCopy, CancellationToken cancellationToken) =>
        ScalarIfTableAsync(seriesCopy, "written_batches", "SELECT COALESCE(MAX(n), 0) FROM written_batches", cancellationToken);

    private static Task<long> CountBatchesAsync(string recordsCopy, CancellationToken cancellationToken) =>
        ScalarIfTableAsync(recordsCopy, "batches", "SELECT COUNT(*) FROM batches", cancellationToken);

    /// <summary>The integer <paramref name="sql"/> returns from a copy, or 0 when the copy has no such <paramref name="table"/>.</summary>
    private static async Task<long> ScalarIfTableAsync(string copy, string table, string sql, CancellationToken cancellationToken)
    {
        await using var connection = await OpenCopyAsync(copy, SqliteOpenMode.ReadOnly, cancellationToken).ConfigureAwait(false);
        if (!await HasTableAsync(connection, table, cancellationToken).ConfigureAwait(false)) return 0;
        await using var command = SqliteCommands.Create(connection, sql);
        return (long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <summary>
    /// Batches whose points reached the live series store after its copy was taken are not in the copy: mark
    /// them "series pending" in the ledger copy (see the class remarks).
    /// </summary>
    private static async Task ReopenSeriesWrittenSinceAsync(string directory, string staging, long mark, CancellationToken cancellationToken)
    {
        List<long> since;
        await using (var live = await SqliteDataFiles.SeriesDatabase(directory).OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            await using var command = SqliteCommands.Create(live, "SELECT batch_id FROM written_batches WHERE n > $mark", "$mark").Bind(null, mark);
            since = await command.ReadAllAsync(r => r.GetInt64(0), cancellationToken).ConfigureAwait(false);
        }
        if (since.Count == 0) return;

        await using var records = await OpenCopyAsync(Path.Combine(staging, SqliteDataFiles.Records), SqliteOpenMode.ReadWrite, cancellationToken).ConfigureAwait(false);
        if (!await HasTableAsync(records, "batches", cancellationToken).ConfigureAwait(false)) return;
        await using var transaction = records.BeginTransaction();
        await using var reopen = SqliteCommands.Create(records, "INSERT OR IGNORE INTO series_pending (batch_id) SELECT id FROM batches WHERE id = $id", "$id");
        foreach (var id in since) await reopen.Bind(transaction, id).ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<BackupFile> DescribeAsync(string path, CancellationToken cancellationToken)
    {
        var schema = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var connection = await OpenCopyAsync(path, SqliteOpenMode.ReadOnly, cancellationToken).ConfigureAwait(false))
        {
            if (await HasTableAsync(connection, "schema_migrations", cancellationToken).ConfigureAwait(false))
            {
                await using var command = SqliteCommands.Create(connection,
                    "SELECT component, MAX(version) FROM schema_migrations GROUP BY component ORDER BY component");
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false)) schema[reader.GetString(0)] = reader.GetInt64(1);
            }
        }
        await using var stream = File.OpenRead(path);
        var hash = await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false);
        return new BackupFile(Path.GetFileName(path), stream.Length, Convert.ToHexStringLower(hash), schema);
    }

    /// <summary>Zips the manifest and the copies into a temporary file, flushes it to disk, then renames it over <paramref name="output"/>.</summary>
    private static async Task PackAsync(string staging, BackupManifest manifest, string output, CancellationToken cancellationToken)
    {
        var temporary = output + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None))
            {
                await Task.Run(() =>
                {
                    using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
                    using (var entry = zip.CreateEntry(BackupManifest.EntryName, CompressionLevel.Optimal).Open()) entry.Write(manifest.ToUtf8());
                    foreach (var file in manifest.Files)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        zip.CreateEntryFromFile(Path.Combine(staging, file.Name), file.Name, CompressionLevel.Fastest);
                    }
                }, cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, output, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }

    private static async Task<bool> HasTableAsync(SqliteConnection connection, string table, CancellationToken cancellationToken)
    {
        await using var command = SqliteCommands.Create(connection, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = $name", "$name")
            .Bind(null, table);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }

    /// <summary>A connection to a copy: no pooling (the file is moved or deleted right after).</summary>
    private static async Task<SqliteConnection> OpenCopyAsync(string path, SqliteOpenMode mode, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false }.ToString());
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
