using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace EquipmentIoT.Cloud.Storage.Sqlite;

/// <summary>Statements prepared on a writer connection, bound to each write transaction in turn.</summary>
internal interface IPreparedCommands : IAsyncDisposable
{
    void Use(SqliteTransaction transaction);
}

/// <summary>
/// The single writer of one store on one database file: a connection opened (and the component migrated) on
/// first use, a semaphore so that one write runs at a time in this process, and <c>BEGIN IMMEDIATE</c>
/// transactions so that the write lock is taken before anything is read that a decision depends on (a second
/// process on the same file waits for it, up to the busy timeout). Reads use their own pooled connections.
/// </summary>
internal sealed class SqliteStoreWriter<TCommands> : IAsyncDisposable
    where TCommands : class, IPreparedCommands
{
    private const int WriterCacheKibibytes = 64 * 1024;

    private readonly SqliteDatabase _database;
    private readonly string _component;
    private readonly IReadOnlyList<SqliteMigration> _migrations;
    private readonly Func<SqliteConnection, TCommands> _prepare;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private SqliteConnection? _connection;
    private TCommands? _commands;
    private volatile bool _initialized;
    private bool _disposed;

    public SqliteStoreWriter(SqliteDatabase database, string component, IReadOnlyList<SqliteMigration> migrations,
        Func<SqliteConnection, TCommands> prepare, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(logger);
        _database = database;
        _component = component;
        _migrations = migrations;
        _prepare = prepare;
        _logger = logger;
    }

    public SqliteDatabase Database => _database;

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (_initialized) return;
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await CommandsAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Runs <paramref name="work"/> in one write transaction, committed when it returns.</summary>
    public Task<T> WriteAsync<T>(Func<TCommands, CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        WriteAsync(work, null, cancellationToken);

    /// <summary>
    /// As <see cref="WriteAsync{T}(Func{TCommands, CancellationToken, Task{T}}, CancellationToken)"/>, then, still under the
    /// write lock, tells <paramref name="settle"/> whether the transaction committed (false when the work or the commit failed).
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<TCommands, CancellationToken, Task<T>> work, Action<bool>? settle, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var commands = await CommandsAsync(cancellationToken).ConfigureAwait(false);
            T result;
            try
            {
                await using var transaction = _connection!.BeginTransaction(deferred: false);
                commands.Use(transaction);
                result = await work(commands, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                settle?.Invoke(false);
                throw;
            }
            settle?.Invoke(true);
            return result;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>A new read connection, once the schema exists.</summary>
    public async Task<SqliteConnection> ReaderAsync(CancellationToken cancellationToken)
    {
        if (!_initialized) await InitializeAsync(cancellationToken).ConfigureAwait(false);
        return await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _lock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed) return;
            _disposed = true;
            if (_commands is not null) await _commands.DisposeAsync().ConfigureAwait(false);
            if (_connection is not null) await _connection.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task<TCommands> CommandsAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_commands is not null) return _commands;
        var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // The writer touches pages all over its indexes (a chunk and rollup rows per series): a 64 MiB page cache
            // instead of SQLite's 2 MiB default keeps the hot ones in memory between transactions.
            await SqliteCommands.ExecuteAsync(connection, null, $"PRAGMA cache_size = -{WriterCacheKibibytes}", cancellationToken).ConfigureAwait(false);
            var applied = await SqliteMigrator.ApplyAsync(connection, _component, _migrations, cancellationToken).ConfigureAwait(false);
            SqliteStoreLog.Migrated(_logger, _component, _database.Path, applied);
            _commands = _prepare(connection);
            _connection = connection;
            _initialized = true;
            return _commands;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
