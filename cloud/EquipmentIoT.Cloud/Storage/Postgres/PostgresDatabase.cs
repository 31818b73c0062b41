using System.Data;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace EquipmentIoT.Cloud.Storage.Postgres;

/// <summary>
/// One PostgreSQL database of the record stores: a pooled <see cref="NpgsqlDataSource"/> and
/// <see cref="RunAsync{T}"/>, which runs a unit of work in one transaction on a fresh connection and runs it
/// again, from the start, when it failed transiently (<see cref="PostgresRetryPolicy"/>). A unit of work is
/// therefore written to be repeatable: it reads what it decides on inside its transaction. What returned is
/// committed; what threw rolled back (or, when the connection broke during COMMIT itself and the retries ran
/// out, may have committed whole — never half).
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresRetryPolicy _retry;
    private readonly ILogger _logger;

    public PostgresDatabase(PostgresOptions options, ILogger<PostgresDatabase>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
            throw new ArgumentException($"{PostgresOptions.Section}:ConnectionString is empty", nameof(options));
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(options.ConnectionString);
        }
        catch (ArgumentException ex)
        {
            // The message of a parse error can quote the string, password included: say only what is wrong.
            throw new ArgumentException($"{PostgresOptions.Section}:ConnectionString is not a valid Npgsql connection string ({ex.GetType().Name})", nameof(options));
        }
        if (options.PasswordFile is { Length: > 0 } file) builder.Password = ReadPassword(file);
        builder.CommandTimeout = (int)Math.Ceiling(options.CommandTimeout.TotalSeconds);
        if (builder.MaxAutoPrepare == 0) builder.MaxAutoPrepare = 64; // the ledger runs a handful of statements thousands of times
        if (string.IsNullOrEmpty(builder.ApplicationName)) builder.ApplicationName = "eqiot-cloud";
        Name = $"{builder.Host}:{builder.Port}/{builder.Database} as {builder.Username}";
        _dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        _retry = new PostgresRetryPolicy(options.RetryTimeout);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>host:port/database as user — for logs and messages; never the password.</summary>
    public string Name { get; }

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction and commits it; on a transient failure the transaction is
    /// rolled back (the connection is gone or the server refused it) and the work runs again on a new connection.
    /// </summary>
    public async Task<T> RunAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken,
        IsolationLevel isolation = IsolationLevel.ReadCommitted)
    {
        ArgumentNullException.ThrowIfNull(work);
        var elapsed = Stopwatch.StartNew();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                await using var transaction = await connection.BeginTransactionAsync(isolation, cancellationToken).ConfigureAwait(false);
                var result = await work(connection, transaction, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return result;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && _retry.ShouldRetry(attempt, ex, elapsed.Elapsed, out var delay))
            {
                // Pooled connections opened before a server restart are dead too: drop them rather than meet each one.
                _dataSource.Clear();
                PostgresLog.Retrying(_logger, Name, ex.Message, attempt, (long)delay.TotalMilliseconds);
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>As <see cref="RunAsync{T}"/> for work without a result.</summary>
    public Task RunAsync(Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task> work, CancellationToken cancellationToken) =>
        RunAsync(async (c, tx, ct) =>
        {
            await work(c, tx, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken);

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    private static string ReadPassword(string file)
    {
        try
        {
            return File.ReadAllText(file).TrimEnd('\r', '\n');
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"{PostgresOptions.Section}:PasswordFile '{file}' cannot be read: {ex.Message}", ex);
        }
    }
}
