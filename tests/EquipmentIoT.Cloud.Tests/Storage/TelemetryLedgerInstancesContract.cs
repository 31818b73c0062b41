using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Protocols.Telemetry.Model;
using NodaTime;

namespace EquipmentIoT.Cloud.Tests.Storage;

/// <summary>
/// Two ledger instances (two writer connections or data sources, as two ingestion processes have) on one store,
/// run against every implementation.
/// </summary>
public abstract class TelemetryLedgerInstancesContract
{
    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>A fresh, empty store world for one test.</summary>
    internal abstract Task<ILedgerTestContext> NewContextAsync();

    [Fact]
    public async Task IngestAsync_TwoInstancesTakeInterleavedHalves_StoreEachBatchOnceWithoutFalseBreaks()
    {
        await using var ctx = await NewContextAsync();
        var one = ctx.Ledger();
        var two = ctx.Ledger();
        var chain = ctx.Agent.MetricsChain(60);
        var odd = chain.Where(b => b.Batch.Seq % 2 == 1).ToList();
        var even = chain.Where(b => b.Batch.Seq % 2 == 0).ToList();

        var outcomes = await Task.WhenAll(IngestInGroupsAsync(one, odd, 3), IngestInGroupsAsync(two, even, 2));

        Assert.All(outcomes.SelectMany(o => o), o => Assert.Equal(IngestDisposition.Stored, o.Disposition));
        Assert.Equal(60, await one.CountBatchesAsync(None));
        Assert.Empty(await two.QuarantinedAsync(new QuarantineQuery(), None));
        Assert.Empty(await one.OpenGapsAsync(None));
        var summary = Assert.Single(await two.IntegrityAsync(ctx.Agent.Id, None));
        Assert.Equal((60L, 60L, 0L, 0L, 0L), (summary.Received, summary.Stored, summary.Duplicates, summary.Quarantined, summary.MissingBatches));
    }

    [Fact]
    public async Task IngestAsync_TwoInstancesGetTheWholeStreamInOppositeOrders_StoreEachBatchOnce()
    {
        await using var ctx = await NewContextAsync();
        var one = ctx.Ledger();
        var two = ctx.Ledger();
        var chain = ctx.Agent.MetricsChain(40);
        var reversed = Enumerable.Reverse(chain).ToList();

        var outcomes = await Task.WhenAll(IngestInGroupsAsync(one, chain, 4), IngestInGroupsAsync(two, reversed, 4));

        var all = outcomes.SelectMany(o => o).ToList();
        Assert.Equal(40, all.Count(o => o.Disposition == IngestDisposition.Stored));
        Assert.Equal(40, all.Count(o => o.Disposition == IngestDisposition.Duplicate));
        Assert.Equal(40, await two.CountBatchesAsync(None));
        Assert.Empty(await one.QuarantinedAsync(new QuarantineQuery(), None));
        Assert.Empty(await one.OpenGapsAsync(None));
    }

    [Fact]
    public async Task IngestAsync_TwoInstancesGetOverlappingRangesOfTwoAgents_StoreEachBatchOnce()
    {
        await using var ctx = await NewContextAsync();
        var one = ctx.Ledger();
        var two = ctx.Ledger();
        var a = ctx.Agent.MetricsChain(60);
        var b = ctx.NewAgent("agent-02").MetricsChain(60);
        // One gets seqs 1–40 of agent-01 and 21–60 of agent-02, two the other way round: seqs 21–40 of both arrive twice.
        var first = Interleave(a[..40], b[20..]);
        var second = Interleave(b[..40], a[20..]);

        var outcomes = await Task.WhenAll(IngestInGroupsAsync(one, first, 5), IngestInGroupsAsync(two, second, 3));

        var all = outcomes.SelectMany(o => o).ToList();
        Assert.Equal(120, all.Count(o => o.Disposition == IngestDisposition.Stored));
        Assert.Equal(40, all.Count(o => o.Disposition == IngestDisposition.Duplicate));
        Assert.Equal(120, await one.CountBatchesAsync(None));
        Assert.Empty(await two.QuarantinedAsync(new QuarantineQuery(), None));
        Assert.Empty(await one.OpenGapsAsync(None));
        var summaries = await two.IntegrityAsync(null, None);
        Assert.All(summaries, s => Assert.Equal((80L, 60L, 20L, 0L, 0L), (s.Received, s.Stored, s.Duplicates, s.Quarantined, s.MissingBatches)));
        Assert.Equal(2, summaries.Count);
    }

    [Fact]
    public async Task EventsAfterAsync_CursorFollowingTwoInstancesThatWriteEvents_SeesEveryEventOnce()
    {
        await using var ctx = await NewContextAsync();
        var one = ctx.Ledger();
        var two = ctx.Ledger();
        var reader = ctx.Ledger();
        var b = ctx.NewAgent("agent-02");
        var first = EventBatches(ctx.Agent, 30);
        var second = EventBatches(b, 30);
        string[] types = [EventTypes.ExamStarted, EventTypes.ExamCompleted];
        var seen = new List<long>();
        var writing = Task.WhenAll(IngestInGroupsAsync(one, first, 1), IngestInGroupsAsync(two, second, 1));

        // A consumer following the log while it is written: ids must never appear behind its cursor.
        var cursor = 0L;
        while (true)
        {
            var done = writing.IsCompleted;
            var page = await reader.EventsAfterAsync(cursor, types, 1000, None);
            seen.AddRange(page.Select(e => e.Id));
            if (page.Count > 0) cursor = page[^1].Id;
            if (done && page.Count == 0) break;
            await Task.Yield();
        }
        await writing;

        Assert.Equal(120, seen.Count);
        Assert.Equal(120, seen.Distinct().Count());
    }

    private static List<IncomingBatch> EventBatches(TestAgent agent, int count) =>
    [
        .. Enumerable.Range(1, count).Select(seq => agent.Events(seq,
            new TelemetryEvent("ct-" + agent.Id, EventTypes.ExamStarted, TestAgent.T0 + Duration.FromSeconds(seq)),
            new TelemetryEvent("ct-" + agent.Id, EventTypes.ExamCompleted, TestAgent.T0 + Duration.FromSeconds(seq) + Duration.FromMilliseconds(500)))),
    ];

    private static List<IncomingBatch> Interleave(List<IncomingBatch> x, List<IncomingBatch> y) =>
        [.. x.Zip(y).SelectMany(pair => new[] { pair.First, pair.Second })];

    private static async Task<List<IngestOutcome>> IngestInGroupsAsync(ITelemetryLedger ledger, List<IncomingBatch> batches, int group)
    {
        var outcomes = new List<IngestOutcome>();
        foreach (var chunk in batches.Chunk(group))
        {
            outcomes.AddRange(await ledger.IngestAsync(chunk, None));
            await Task.Yield();
        }
        return outcomes;
    }
}
