using EquipmentIoT.Protocols.Telemetry.Commands;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace EquipmentIoT.Cloud.Storage.Sqlite;

/// <summary>
/// The telemetry ledger on SQLite (records.db, component "ledger"). One writer connection runs every change
/// in a <c>BEGIN IMMEDIATE</c> transaction: a whole <see cref="IngestAsync"/> call is one transaction (group
/// commit: one fsync for hundreds of batches), and the chain decisions are made inside it, so that a second
/// instance on the same files (which waits for the write lock, busy_timeout) always decides against what the
/// first one committed. Reads open their own connections (WAL: they do not wait for the writer).
/// </summary>
public sealed partial class SqliteTelemetryLedger : ITelemetryLedger, IStoreInitializer, IAsyncDisposable
{
    private readonly SqliteStoreWriter<LedgerCommands> _writer;

    public SqliteTelemetryLedger(SqliteDatabase database, ILogger<SqliteTelemetryLedger> logger)
    {
        _writer = new SqliteStoreWriter<LedgerCommands>(database, LedgerSchema.Component, LedgerSchema.Migrations,
            connection => new LedgerCommands(connection), logger);
    }

    /// <summary>The ledger of the data directory's records.db.</summary>
    public static SqliteTelemetryLedger ForDataDirectory(string dataDirectory, ILogger<SqliteTelemetryLedger> logger) =>
        new(SqliteDataFiles.RecordsDatabase(dataDirectory), logger);

    /// <summary>Applies the ledger's migrations and opens the writer. Runs once; later calls return at once.</summary>
    public Task InitializeAsync(CancellationToken cancellationToken) => _writer.InitializeAsync(cancellationToken);

    public Task<IReadOnlyList<IngestOutcome>> IngestAsync(IReadOnlyList<IncomingBatch> batches, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batches);
        return WriteAsync<IReadOnlyList<IngestOutcome>>(async (write, ct) =>
        {
            var outcomes = new IngestOutcome[batches.Count];
            for (var i = 0; i < batches.Count; i++) outcomes[i] = await write.IngestAsync(batches[i], ct).ConfigureAwait(false);
            return outcomes;
        }, cancellationToken);
    }

    public Task QuarantineAsync(QuarantineEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return WriteAsync(async (write, ct) =>
        {
            await write.QuarantineAsync(entry, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    public Task MarkSeriesWrittenAsync(IReadOnlyList<long> batchIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batchIds);
        if (batchIds.Count == 0) return Task.CompletedTask;
        return WriteAsync(async (write, ct) =>
        {
            foreach (var id in batchIds) await write.Commands.MarkSeriesWrittenAsync(id, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    public Task MarkGapRequestedAsync(long gapId, Instant at, CancellationToken cancellationToken) =>
        WriteAsync(async (write, ct) => await write.Commands.MarkGapRequestedAsync(gapId, at, ct).ConfigureAwait(false)
            ? true
            : throw new KeyNotFoundException($"no gap with id {gapId}"), cancellationToken);

    public Task RecordResendReplyAsync(string agent, ResendReply reply, Instant at, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(agent);
        ArgumentNullException.ThrowIfNull(reply);
        if (reply.Validate() is { } invalid) throw new ArgumentException("inconsistent resend reply: " + invalid, nameof(reply));
        if (reply.Unavailable.Count == 0) return Task.CompletedTask;
        return WriteAsync(async (write, ct) =>
        {
            foreach (var range in reply.Unavailable) await write.RecordUnavailableAsync(agent, reply.Stream, range, at, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    public ValueTask DisposeAsync() => _writer.DisposeAsync();

    /// <summary>Runs <paramref name="work"/> in one write transaction and adds the integrity counters it gathered before the commit.</summary>
    private Task<T> WriteAsync<T>(Func<LedgerWrite, CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        _writer.WriteAsync(async (commands, ct) =>
        {
            var write = new LedgerWrite(commands);
            var result = await work(write, ct).ConfigureAwait(false);
            await write.CompleteAsync(ct).ConfigureAwait(false);
            return result;
        }, cancellationToken);

    private Task<SqliteConnection> ReaderAsync(CancellationToken cancellationToken) => _writer.ReaderAsync(cancellationToken);
}
