using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using EquipmentIoT.Protocols.Telemetry.Commands;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NodaTime;

namespace EquipmentIoT.Cloud.Storage.Postgres;

/// <summary>
/// The telemetry ledger on PostgreSQL: the same tables and decisions as the SQLite ledger (<see cref="LedgerWrite"/>
/// and <see cref="ChainLedgerRules"/>, shared), for several cloud instances on one database. One
/// <see cref="IngestAsync"/> call is one READ COMMITTED transaction that first takes a transaction-scoped advisory
/// lock per (agent, stream) it touches, in key order (no deadlock between two instances): the chain decisions of a
/// stream are then made against everything committed before, so a batch that two instances ingest at once is stored
/// by one and is a duplicate for the other; streams that do not meet run in parallel. A transient failure (the
/// server restarting) reruns the whole transaction (<see cref="PostgresDatabase.RunAsync{T}"/>): if the first try
/// did commit before the connection broke, the rerun finds its batches stored and reports them as duplicates.
/// </summary>
public sealed partial class PostgresTelemetryLedger : ITelemetryLedger, IStoreInitializer
{
    private readonly PostgresDatabase _database;
    private readonly ILogger _logger;
    private volatile bool _initialized;

    public PostgresTelemetryLedger(PostgresDatabase database, ILogger<PostgresTelemetryLedger>? logger = null)
    {
        _database = database ?? throw new ArgumentNullException(nameof(database));
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Applies the ledger's migrations (safe from several instances at once).</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (_initialized) return;
        var applied = await PostgresMigrator.ApplyAsync(_database, PostgresLedgerSchema.Component, PostgresLedgerSchema.Migrations, cancellationToken)
            .ConfigureAwait(false);
        PostgresLog.Migrated(_logger, PostgresLedgerSchema.Component, _database.Name, applied);
        _initialized = true;
    }

    public Task<IReadOnlyList<IngestOutcome>> IngestAsync(IReadOnlyList<IncomingBatch> batches, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batches);
        if (batches.Count == 0) return Task.FromResult<IReadOnlyList<IngestOutcome>>([]);
        var streams = batches.Select(b => StreamLock(b.Batch.Agent, b.Batch.Stream)).Distinct().Order().ToArray();
        return WriteAsync<IReadOnlyList<IngestOutcome>>(streams, async (write, ct) =>
        {
            var outcomes = new IngestOutcome[batches.Count];
            for (var i = 0; i < batches.Count; i++) outcomes[i] = await write.IngestAsync(batches[i], ct).ConfigureAwait(false);
            return outcomes;
        }, cancellationToken);
    }

    public Task QuarantineAsync(QuarantineEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return WriteAsync([], async (write, ct) =>
        {
            await write.QuarantineAsync(entry, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    public Task MarkSeriesWrittenAsync(IReadOnlyList<long> batchIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batchIds);
        if (batchIds.Count == 0) return Task.CompletedTask;
        return WriteAsync([], async (write, ct) =>
        {
            foreach (var id in batchIds) await write.Commands.MarkSeriesWrittenAsync(id, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    public Task MarkGapRequestedAsync(long gapId, Instant at, CancellationToken cancellationToken) =>
        WriteAsync([], async (write, ct) => await write.Commands.MarkGapRequestedAsync(gapId, at, ct).ConfigureAwait(false)
            ? true
            : throw new KeyNotFoundException($"no gap with id {gapId}"), cancellationToken);

    public Task RecordResendReplyAsync(string agent, ResendReply reply, Instant at, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(agent);
        ArgumentNullException.ThrowIfNull(reply);
        if (reply.Validate() is { } invalid) throw new ArgumentException("inconsistent resend reply: " + invalid, nameof(reply));
        if (reply.Unavailable.Count == 0) return Task.CompletedTask;
        return WriteAsync([StreamLock(agent, reply.Stream)], async (write, ct) =>
        {
            foreach (var range in reply.Unavailable) await write.RecordUnavailableAsync(agent, reply.Stream, range, at, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    /// <summary>
    /// The advisory lock key of a stream: the first 8 bytes of SHA-256 over agent, NUL, stream. Computed here, not
    /// with a server hash function, so that it does not depend on the server's version.
    /// </summary>
    internal static long StreamLock(string agent, string stream)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(agent + "\0" + stream), hash);
        return BinaryPrimitives.ReadInt64BigEndian(hash);
    }

    /// <summary>Runs <paramref name="work"/> in one transaction after taking the stream locks (sorted), and adds the integrity counters before the commit.</summary>
    private async Task<T> WriteAsync<T>(long[] streamLocks, Func<LedgerWrite, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        if (!_initialized) await InitializeAsync(cancellationToken).ConfigureAwait(false);
        return await _database.RunAsync(async (connection, transaction, ct) =>
        {
            foreach (var key in streamLocks)
            {
                await PostgresCommands.ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock($1)", ct, key).ConfigureAwait(false);
            }
            var write = new LedgerWrite(new PostgresLedgerCommands(connection, transaction));
            var result = await work(write, ct).ConfigureAwait(false);
            await write.CompleteAsync(ct).ConfigureAwait(false);
            return result;
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<T> ReadAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        if (!_initialized) await InitializeAsync(cancellationToken).ConfigureAwait(false);
        return await _database.RunAsync(read, cancellationToken).ConfigureAwait(false);
    }
}
