using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Storage.Postgres;
using EquipmentIoT.Testing;
using Microsoft.Extensions.Logging;

namespace EquipmentIoT.Cloud.Tests.Postgres;

/// <summary>
/// The database restarting (cleanly, or crashing) under a stream of ingest calls: each test has its own server,
/// since it stops it. An ingest that returned must be stored, once, and the chain must show no gap that is not real.
/// </summary>
public sealed class PostgresLedgerResilienceTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task IngestAsync_ServerRestartsMidStream_EveryReturnedBatchIsStoredOnceWithoutGaps(bool crash)
    {
        await using var server = await PostgresServer.StartAsync();
        var options = new PostgresOptions { ConnectionString = server.ConnectionString(await server.CreateDatabaseAsync()), RetryTimeout = TimeSpan.FromSeconds(60) };
        var log = new RecordingLogger<PostgresDatabase>();
        await using var database = new PostgresDatabase(options, log);
        var ledger = new PostgresTelemetryLedger(database);
        await ledger.InitializeAsync(None);
        using var agent = new TestAgent();
        var returned = 0L;
        var restarted = false;
        var failures = new List<Exception>();
        var outcomes = new List<IngestOutcome>();

        // Ingests seq 1, 2, 3… one call each until 20 calls returned after the restart finished (at most 100,000).
        var loop = Task.Run(async () =>
        {
            long? lastBeforeEnd = null;
            for (var seq = 1L; seq <= 100_000 && (lastBeforeEnd is null || seq <= lastBeforeEnd); seq++)
            {
                var batch = agent.Metrics(seq, TestAgent.Points(seq, 2));
                try
                {
                    outcomes.AddRange(await ledger.IngestAsync([batch], None));
                    Interlocked.Exchange(ref returned, seq);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    failures.Add(ex);
                }
                if (lastBeforeEnd is null && Volatile.Read(ref restarted)) lastBeforeEnd = seq + 20;
            }
        });
        await Wait.UntilAsync(() => Interlocked.Read(ref returned) >= 30 || loop.IsCompleted, TimeSpan.FromSeconds(60), "30 batches stored before the restart");

        await server.RestartAsync(immediate: crash);
        Volatile.Write(ref restarted, true);
        await loop.WaitAsync(TimeSpan.FromMinutes(3));

        Assert.Empty(failures);
        var last = Interlocked.Read(ref returned);
        Assert.Equal(last, outcomes.Count);
        Assert.All(outcomes, o => Assert.Contains(o.Disposition, new[] { IngestDisposition.Stored, IngestDisposition.Duplicate }));
        Assert.Equal(last, await ledger.CountBatchesAsync(None));
        Assert.NotNull(await ledger.GetBatchAsync(agent.Id, "metrics", last, None));
        Assert.Empty(await ledger.OpenGapsAsync(None));
        Assert.Empty(await ledger.QuarantinedAsync(new QuarantineQuery(), None));
        Assert.Equal(last, (await ledger.SeriesPendingAsync(100_000, None)).Select(b => b.Seq).Distinct().Count());
        Assert.Contains(log.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("transient failure", StringComparison.Ordinal));
    }

    [Fact]
    public async Task IngestAsync_ServerDownLongerThanTheRetryBudget_ThrowsAndStoresNothingHalfway()
    {
        await using var server = await PostgresServer.StartAsync();
        var options = new PostgresOptions { ConnectionString = server.ConnectionString(await server.CreateDatabaseAsync()), RetryTimeout = TimeSpan.FromSeconds(1) };
        await using var database = new PostgresDatabase(options);
        var ledger = new PostgresTelemetryLedger(database);
        using var agent = new TestAgent();
        var chain = agent.MetricsChain(4);
        await ledger.IngestAsync(chain[..2], None);

        await server.StopAsync();
        await Assert.ThrowsAnyAsync<Npgsql.NpgsqlException>(() => ledger.IngestAsync(chain[2..], None));
        await server.StartAsync();

        Assert.Equal(2, await ledger.CountBatchesAsync(None));
        Assert.Equal([IngestDisposition.Stored, IngestDisposition.Stored], (await ledger.IngestAsync(chain[2..], None)).Select(o => o.Disposition));
        Assert.Empty(await ledger.OpenGapsAsync(None));
    }
}
