using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Protocols.Telemetry.Commands;
using EquipmentIoT.Protocols.Telemetry.Model;
using NodaTime;

namespace EquipmentIoT.Cloud.Tests.Storage;

/// <summary>The ledger's behaviour, run against every implementation (derived once per database).</summary>
public abstract class TelemetryLedgerRecordsContract
{
    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>A fresh, empty store world for one test.</summary>
    internal abstract Task<ILedgerTestContext> NewContextAsync();

    [Fact]
    public async Task RecordResendReplyAsync_UnavailableRange_BecomesAReportedGapAndSplitsTheOpenOne()
    {
        await using var ctx = await NewContextAsync();
        var ledger = ctx.Ledger();
        var chain = ctx.Agent.MetricsChain(10);
        await ledger.IngestAsync([chain[0], chain[9]], None);
        var reply = new ResendReply("metrics", 2, 9, 6, [new SeqRange(3, 4)]);

        await ledger.RecordResendReplyAsync(ctx.Agent.Id, reply, TestAgent.T0 + Duration.FromMinutes(1), None);

        Assert.Equal([(2L, 2L), (5L, 9L)], (await ledger.OpenGapsAsync(None)).Select(g => (g.From, g.To)).OrderBy(r => r.From));
        var summary = Assert.Single(await ledger.IntegrityAsync(ctx.Agent.Id, None));
        Assert.Equal((2L, 1L, 8L), (summary.GapsOpen, summary.GapsUnavailable, summary.MissingBatches));
        var reported = Assert.Single(await ledger.EventsAsync(new EventQuery(TypePrefix: IntegrityEventTypes.GapUnavailable), None));
        Assert.Equal((3.0, 4.0), (reported.Data["from"].AsNumber, reported.Data["to"].AsNumber));
    }

    [Fact]
    public async Task RecordResendReplyAsync_ReportedBatchArrivesAnyway_ShrinksTheReportedGap()
    {
        await using var ctx = await NewContextAsync();
        var ledger = ctx.Ledger();
        var chain = ctx.Agent.MetricsChain(5);
        await ledger.IngestAsync([chain[0], chain[4]], None);
        await ledger.RecordResendReplyAsync(ctx.Agent.Id, new ResendReply("metrics", 2, 4, 0, [new SeqRange(2, 4)]), TestAgent.T0, None);

        var outcome = (await ledger.IngestAsync([chain[1]], None))[0];

        Assert.True(outcome.FilledGap);
        var summary = Assert.Single(await ledger.IntegrityAsync(ctx.Agent.Id, None));
        Assert.Equal((0L, 1L, 2L), (summary.GapsOpen, summary.GapsUnavailable, summary.MissingBatches));
    }

    [Fact]
    public async Task MarkGapRequestedAsync_TwoRequests_AreCountedWithTheLastTime()
    {
        await using var ctx = await NewContextAsync();
        var ledger = ctx.Ledger();
        var chain = ctx.Agent.MetricsChain(3);
        await ledger.IngestAsync([chain[2]], None);
        var gap = Assert.Single(await ledger.OpenGapsAsync(None));

        await ledger.MarkGapRequestedAsync(gap.Id, TestAgent.T0 + Duration.FromSeconds(10), None);
        await ledger.MarkGapRequestedAsync(gap.Id, TestAgent.T0 + Duration.FromSeconds(70), None);

        var after = Assert.Single(await ledger.OpenGapsAsync(None));
        Assert.Equal(2, after.Requests);
        Assert.Equal(TestAgent.T0 + Duration.FromSeconds(70), after.LastRequested);
        await Assert.ThrowsAsync<KeyNotFoundException>(() => ledger.MarkGapRequestedAsync(gap.Id + 100, TestAgent.T0, None));
    }

    [Fact]
    public async Task IntegrityAsync_MixedTraffic_CountsEachOutcome()
    {
        await using var ctx = await NewContextAsync();
        var ledger = ctx.Ledger();
        var chain = ctx.Agent.MetricsChain(4);
        await ledger.IngestAsync([chain[0], chain[1], chain[1]], None);
        await ledger.IngestAsync([chain[3], ctx.Agent.Forged(2, chain[0].Hash)], None);
        var late = TestAgent.T0 + Duration.FromHours(1);
        await ledger.QuarantineAsync(new QuarantineEntry(ctx.Agent.Id, null, null, null, QuarantineReason.BadSignature, "signature does not verify", late,
            "garbage"u8.ToArray()), None);
        await ledger.QuarantineAsync(new QuarantineEntry("ghost", null, null, null, QuarantineReason.UnknownAgent, "no such agent", late, new byte[3]), None);

        var all = await ledger.IntegrityAsync(null, None);

        Assert.Equal([ctx.Agent.Id, "ghost"], all.Select(s => s.Agent));
        var s = all[0];
        Assert.Equal((6L, 3L, 1L, 2L), (s.Received, s.Stored, s.Duplicates, s.Quarantined));
        Assert.Equal((1L, 0L, 1L), (s.GapsOpen, s.GapsFilled, s.MissingBatches));
        Assert.Equal(late, s.LastReceived);
        Assert.Equal((1L, 1L), (all[1].Received, all[1].Quarantined));
    }

    [Fact]
    public async Task QuarantineAsync_LargePayload_KeepsTheFirst64KiBAndTheFullLength()
    {
        await using var ctx = await NewContextAsync();
        var ledger = ctx.Ledger();
        var payload = new byte[100_000];
        new Random(7).NextBytes(payload);

        await ledger.QuarantineAsync(new QuarantineEntry(ctx.Agent.Id, ctx.Agent.Kid, "metrics", 5, QuarantineReason.Malformed, "not JSON", TestAgent.T0, payload), None);

        var record = Assert.Single(await ledger.QuarantinedAsync(new QuarantineQuery(Reason: QuarantineReason.Malformed), None));
        Assert.Equal(100_000, record.PayloadBytes);
        Assert.Equal(payload.AsSpan(0, 64 * 1024).ToArray(), record.Payload);
        Assert.Equal((ctx.Agent.Kid, "metrics", 5L, "not JSON"), (record.Kid, record.Stream, record.Seq!.Value, record.Detail));
        Assert.Empty(await ledger.QuarantinedAsync(new QuarantineQuery(Reason: QuarantineReason.BadSignature), None));
    }

    [Fact]
    public async Task EventsAsync_EventsBatch_RoundTripsDataAndFilters()
    {
        await using var ctx = await NewContextAsync();
        var ledger = ctx.Ledger();
        var data = new Dictionary<string, EventValue>
        {
            ["code"] = "HE-104 \"quoted\" ü 氦",
            ["active"] = true,
            ["cleared"] = false,
            ["severity"] = 2L,
            ["ratio"] = 0.1,
            ["tiny"] = 1e-7,
            ["big"] = 9007199254740991L,
            ["negative"] = -273.15,
        };
        var t = TestAgent.T0 + Duration.FromMilliseconds(123);
        var batch = ctx.Agent.Events(1,
            new TelemetryEvent("mr-01", EventTypes.Fault, t, data),
            new TelemetryEvent("mr-01", EventTypes.ExamStarted, t + Duration.FromSeconds(1)),
            new TelemetryEvent("ct-02", EventTypes.ExamCompleted, t + Duration.FromSeconds(2)));
        var stored = (await ledger.IngestAsync([batch], None))[0];

        var fault = Assert.Single(await ledger.EventsAsync(new EventQuery(Device: "mr-01", TypePrefix: "fault"), None));

        Assert.Equal(data, fault.Data);
        Assert.Equal(data.Keys, fault.Data.Keys);
        Assert.All(data, kv => Assert.Equal(kv.Value.Kind, fault.Data[kv.Key].Kind));
        Assert.Equal((t, stored.BatchId, ctx.Agent.Id), (fault.Timestamp, fault.BatchId, fault.Agent));
        Assert.Equal([EventTypes.ExamCompleted, EventTypes.ExamStarted],
            (await ledger.EventsAsync(new EventQuery(TypePrefix: "exam."), None)).Select(e => e.Type));
        Assert.Single(await ledger.EventsAsync(new EventQuery(TypePrefix: "exam.", From: t + Duration.FromSeconds(2)), None));
        Assert.Single(await ledger.EventsAsync(new EventQuery(Agent: ctx.Agent.Id, To: t + Duration.FromSeconds(1)), None));
        Assert.Equal(2, (await ledger.EventsAsync(new EventQuery(Limit: 2), None)).Count);
        Assert.Empty(await ledger.EventsAsync(new EventQuery(TypePrefix: "exam.x"), None));
    }

    [Fact]
    public async Task SeriesPendingAsync_StoredBatches_StayPendingUntilMarked()
    {
        await using var ctx = await NewContextAsync();
        var ledger = ctx.Ledger();
        var outcomes = await ledger.IngestAsync(ctx.Agent.MetricsChain(3), None);

        var pending = await ledger.SeriesPendingAsync(10, None);
        Assert.Equal(outcomes.Select(o => o.BatchId!.Value), pending.Select(b => b.Id));
        Assert.All(pending, b => Assert.True(b.SeriesPending));

        await ledger.MarkSeriesWrittenAsync([outcomes[0].BatchId!.Value, outcomes[2].BatchId!.Value], None);

        Assert.Equal(outcomes[1].BatchId, Assert.Single(await ledger.SeriesPendingAsync(10, None)).Id);
        Assert.Single(await ledger.SeriesPendingAsync(1, None));
    }

    [Fact]
    public async Task InitializeAsync_EmptyStoreThenExistingOne_CreatesTheSchemaOnceAndKeepsTheData()
    {
        await using var ctx = await NewContextAsync();
        var first = ctx.Ledger();
        await ((IStoreInitializer)first).InitializeAsync(None);
        var version = await ctx.LedgerSchemaVersionAsync();
        Assert.True(version >= 1, $"schema version {version}");
        var chain = ctx.Agent.MetricsChain(2);
        await first.IngestAsync(chain, None);

        var reopened = ctx.Ledger();
        await ((IStoreInitializer)reopened).InitializeAsync(None);

        Assert.Equal(version, await ctx.LedgerSchemaVersionAsync());
        Assert.Equal(2, await reopened.CountBatchesAsync(None));
        Assert.Equal(IngestDisposition.Duplicate, (await reopened.IngestAsync([chain[1]], None))[0].Disposition);
    }
}
