using EquipmentIoT.Cloud.Ingestion;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Protocols.Telemetry.Commands;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Testing;

namespace EquipmentIoT.Cloud.Tests.Ingestion;

/// <summary>The committer's order of work and its failure handling, over test doubles of the stores.</summary>
public sealed class GroupCommitterTests : IDisposable
{
    private static readonly Instant Now = Instant.FromUtc(2026, 11, 22, 10, 0, 0);
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly List<string> calls = [];
    private readonly InMemoryTelemetryLedgerForTests ledger;
    private readonly InMemorySeriesStoreForTests series;
    private readonly InMemoryRegistryForTests registry = new();
    private readonly IngestionMetrics metrics = new();
    private readonly TestAgent agent = new("agent-01");
    private readonly AgentKeyCache keys;
    private readonly TelemetryClassifier classifier;
    private readonly CancellationTokenSource stop = new();

    public GroupCommitterTests()
    {
        ledger = new InMemoryTelemetryLedgerForTests(calls);
        series = new InMemorySeriesStoreForTests(calls);
        var options = Options.Create(new IngestionOptions());
        keys = new AgentKeyCache(registry, new FakeClock(Now), options);
        classifier = new TelemetryClassifier(keys, new FakeClock(Now), options);
        agent.RegisterAsync(registry, Now).GetAwaiter().GetResult();
    }

    [Fact]
    public async Task RunAsync_Group_LedgerThenSeriesThenMarkThenTouchThenTasksComplete()
    {
        var committer = Committer(groupSize: 10);
        var done = new List<Task>();
        foreach (var n in Enumerable.Range(1, 3)) done.Add(await committer.EnqueueAsync(await AcceptedAsync(), CancellationToken.None));
        done.Add(await committer.EnqueueAsync(await ClassifyAsync("agent-01", "garbage"u8.ToArray()), CancellationToken.None));

        var running = committer.RunAsync(stop.Token);
        await Task.WhenAll(done).WaitAsync(Timeout);

        Assert.Equal(["quarantine Malformed", "ingest 1,2,3", "series 1,2,3", "mark 1,2,3"], calls);
        var touch = Assert.Single(registry.Touches);
        Assert.Equal("agent-01", touch.Agent);
        Assert.Equal(["dev-1"], touch.Devices);
        Assert.Equal(Now, touch.At);
        var snapshot = metrics.Snapshot();
        Assert.Equal(3, snapshot.BatchesStored);
        Assert.Equal(9, snapshot.Points);
        Assert.Equal(1, snapshot.Quarantined[QuarantineReason.Malformed]);
        Assert.Equal(1, snapshot.Commits);
        await StopAsync(running);
    }

    [Fact]
    public async Task RunAsync_MoreThanGroupSizeQueued_CommitsInArrivalOrderInGroupsOfAtMostSize()
    {
        var committer = Committer(groupSize: 4);
        var done = new List<Task>();
        foreach (var n in Enumerable.Range(1, 10)) done.Add(await committer.EnqueueAsync(await AcceptedAsync(), CancellationToken.None));

        var running = committer.RunAsync(stop.Token);
        await Task.WhenAll(done).WaitAsync(Timeout);

        Assert.Equal(["ingest 1,2,3,4", "ingest 5,6,7,8", "ingest 9,10"], calls.Where(c => c.StartsWith("ingest", StringComparison.Ordinal)));
        await StopAsync(running);
    }

    [Fact]
    public async Task RunAsync_SeriesWriteFails_EveryTaskOfTheGroupFailsAndTheNextGroupWritesThePendingPointsFirst()
    {
        var committer = Committer(groupSize: 10);
        series.FailNextWrites = 1;
        var first = new List<Task>();
        foreach (var n in Enumerable.Range(1, 3)) first.Add(await committer.EnqueueAsync(await AcceptedAsync(), CancellationToken.None));
        var running = committer.RunAsync(stop.Token);

        foreach (var task in first) await Assert.ThrowsAsync<IOException>(() => task.WaitAsync(Timeout));
        Assert.Empty(registry.Touches);

        var next = await committer.EnqueueAsync(await AcceptedAsync(), CancellationToken.None);
        await next.WaitAsync(Timeout);

        Assert.Equal(["ingest 1,2,3", "series 1,2,3", "pending", "series 1,2,3", "mark 1,2,3", "ingest 4", "series 4", "mark 4"], calls);
        Assert.Equal([1L, 2, 3, 4], series.Written.Select(b => b.BatchId));
        Assert.Equal(1, metrics.Snapshot().CommitFailures);
        await StopAsync(running);
    }

    [Fact]
    public async Task RunAsync_RedeliveredBatch_DuplicateWritesNoSeries()
    {
        var committer = Committer(groupSize: 10);
        var batch = await AcceptedAsync();
        var running = committer.RunAsync(stop.Token);
        await (await committer.EnqueueAsync(batch, CancellationToken.None)).WaitAsync(Timeout);

        await (await committer.EnqueueAsync(batch, CancellationToken.None)).WaitAsync(Timeout);

        Assert.Equal(["ingest 1", "series 1", "mark 1", "ingest 1"], calls);
        Assert.Equal(1, metrics.Snapshot().Duplicates);
        await StopAsync(running);
    }

    [Fact]
    public async Task RunAsync_OutcomeWithNewGap_RaisesGapsFoundAfterTheCommit()
    {
        var committer = Committer(groupSize: 10);
        ledger.Outcomes = incoming => [.. incoming.Select((b, i) => new IngestOutcome(IngestDisposition.Stored, 100 + i, null, null, new SeqRange(1, 4), false))];
        var gapsFound = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        committer.GapsFound += (_, _) => gapsFound.TrySetResult();
        var running = committer.RunAsync(stop.Token);

        var done = await committer.EnqueueAsync(await AcceptedAsync(), CancellationToken.None);
        await done.WaitAsync(Timeout);
        await gapsFound.Task.WaitAsync(Timeout);

        Assert.Equal(1, metrics.Snapshot().GapsOpened);
        await StopAsync(running);
    }

    public void Dispose()
    {
        stop.Dispose();
        keys.Dispose();
        agent.Dispose();
    }

    private GroupCommitter Committer(int groupSize)
    {
        var options = Options.Create(new IngestionOptions { GroupCommitSize = groupSize, GroupCommitLatency = TimeSpan.Zero });
        return new GroupCommitter(ledger, series, registry, new SeriesRecovery(ledger, series, NullLogger<SeriesRecovery>.Instance), metrics,
            TimeProvider.System, options, NullLogger<GroupCommitter>.Instance);
    }

    private async Task<Classified> AcceptedAsync() => Assert.IsType<AcceptedBatch>(await ClassifyAsync("agent-01", agent.NextMetrics(Now).Jws));

    private ValueTask<Classified> ClassifyAsync(string topicAgent, byte[] payload) => classifier.ClassifyAsync(topicAgent, payload, CancellationToken.None);

    private async Task StopAsync(Task running)
    {
        await stop.CancelAsync();
        await running.WaitAsync(Timeout);
    }
}
