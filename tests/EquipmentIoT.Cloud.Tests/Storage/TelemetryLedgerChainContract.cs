using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Protocols.Telemetry.Commands;

namespace EquipmentIoT.Cloud.Tests.Storage;

/// <summary>The ledger's behaviour, run against every implementation (derived once per database).</summary>
public abstract class TelemetryLedgerChainContract
{
    private static readonly CancellationToken None = CancellationToken.None;

    /// <summary>A fresh, empty store world for one test.</summary>
    internal abstract Task<ILedgerTestContext> NewContextAsync();

    [Fact]
    public async Task IngestAsync_NextBatches_AreStoredWithTheirBytes()
    {
        await using var ctx = await NewContextAsync();
        var ledger = ctx.Ledger();
        var chain = ctx.Agent.MetricsChain(3);

        var outcomes = await ledger.IngestAsync(chain, None);

        Assert.All(outcomes, o => Assert.Equal(IngestDisposition.Stored, o.Disposition));
        Assert.All(outcomes, o => Assert.Null(o.NewGap));
        Assert.Equal(3, await ledger.CountBatchesAsync(None));
        var second = await ledger.GetBatchAsync(ctx.Agent.Id, "metrics", 2, None);
        Assert.NotNull(second);
        Assert.Equal(chain[1].Jws.ToArray(), second.Jws);
        Assert.Equal(chain[1].Hash, second.Hash);
        Assert.Equal(chain[0].Hash, second.Prev);
        Assert.Equal(outcomes[1].BatchId, second.Id);
        Assert.Empty(await ledger.OpenGapsAsync(None));
    }

    [Fact]
    public async Task IngestAsync_SameBatchAgain_IsDuplicateOfTheStoredId()
    {
        await using var ctx = await NewContextAsync();
        var ledger = ctx.Ledger();
        var chain = ctx.Agent.MetricsChain(2);
        var first = await ledger.IngestAsync(chain, None);

        var again = await ledger.IngestAsync([chain[1]], None);

        Assert.Equal(IngestDisposition.Duplicate, again[0].Disposition);
        Assert.Equal(first[1].BatchId, again[0].BatchId);
        Assert.Equal(2, await ledger.CountBatchesAsync(None));
    }

    [Fact]
    public async Task IngestAsync_SameBatchTwiceInOneCall_StoresItOnce()
    {
        await using var ctx = await NewContextAsync();
        var ledger = ctx.Ledger();
        var chain = ctx.Agent.MetricsChain(2);

        var outcomes = await ledger.IngestAsync([chain[0], chain[1], chain[1]], None);

        Assert.Equal([IngestDisposition.Stored, IngestDisposition.Stored, IngestDisposition.Duplicate], outcomes.Select(o => o.Disposition));
        Assert.Equal(outcomes[1].BatchId, outcomes[2].BatchId);
        Assert.Equal(2, await ledger.CountBatchesAsync(None));
    }

    [Fact]
    public async Task IngestAsync_OtherBytesAtAStoredSeq_IsQuarantinedAsConflict()
    {
        await using var ctx = await NewContextAsync();
        var ledger = ctx.Ledger();
        var chain = ctx.Agent.MetricsChain(2);
        await ledger.IngestAsync(chain, None);
        var rival = ctx.Agent.Forged(2, chain[0].Hash);

        var outcome = (await ledger.IngestAsync([rival], None))[0];

        Assert.Equal(IngestDisposition.Quarantined, outcome.Disposition);
        Assert.Equal(QuarantineReason.Conflict, outcome.Reason);
        var record = Assert.Single(await ledger.QuarantinedAsync(new QuarantineQuery(), None));
        Assert.Equal(QuarantineReason.Conflict, record.Reason);
        Assert.Equal((ctx.Agent.Id, "metrics", 2L, ctx.Agent.Kid), (record.Agent, record.Stream, record.Seq!.Value, record.Kid));
        Assert.Equal(rival.Jws.ToArray(), record.Payload);
        var alert = Assert.Single(await ledger.EventsAsync(new EventQuery(TypePrefix: IntegrityEventTypes.Quarantined), None));
        Assert.Equal(ctx.Agent.Id, alert.Device);
        Assert.Equal("Conflict", alert.Data["reason"].AsString);
        Assert.Equal(2, await ledger.CountBatchesAsync(None));
    }

    [Fact]
    public async Task IngestAsync_PrevNotTheStoredBatchBefore_IsQuarantinedAsBrokenChain()
    {
        await using var ctx = await NewContextAsync();
        var ledger = ctx.Ledger();
        await ledger.IngestAsync(ctx.Agent.MetricsChain(1), None);
        var stranger = ctx.Agent.Forged(2, new string('A', 43));

        var outcome = (await ledger.IngestAsync([stranger], None))[0];

        Assert.Equal(IngestDisposition.Quarantined, outcome.Disposition);
        Assert.Equal(QuarantineReason.BrokenChain, outcome.Reason);
        Assert.Contains("prev", outcome.Detail, StringComparison.Ordinal);
        Assert.Equal(QuarantineReason.BrokenChain, Assert.Single(await ledger.QuarantinedAsync(new QuarantineQuery(Agent: ctx.Agent.Id), None)).Reason);
        Assert.Null(await ledger.GetBatchAsync(ctx.Agent.Id, "metrics", 2, None));
    }

    [Fact]
    public async Task IngestAsync_MissingBatchNotLinkingToTheNext_IsQuarantinedAsBrokenChain()
    {
        await using var ctx = await NewContextAsync();
        var ledger = ctx.Ledger();
        var chain = ctx.Agent.MetricsChain(3);
        await ledger.IngestAsync([chain[0], chain[2]], None);
        var impostor = ctx.Agent.Forged(2, chain[0].Hash);

        var outcome = (await ledger.IngestAsync([impostor], None))[0];

        Assert.Equal(QuarantineReason.BrokenChain, outcome.Reason);
        Assert.Contains("batch 3", outcome.Detail, StringComparison.Ordinal);
        var gap = Assert.Single(await ledger.OpenGapsAsync(None));
        Assert.Equal((2L, 2L), (gap.From, gap.To));
    }

    [Fact]
    public async Task IngestAsync_SeqThreeBeforeTwo_OpensAGapThenFillsIt()
    {
        await using var ctx = await NewContextAsync();
        var ledger = ctx.Ledger();
        var chain = ctx.Agent.MetricsChain(3);
        await ledger.IngestAsync([chain[0]], None);

        var early = (await ledger.IngestAsync([chain[2]], None))[0];

        Assert.Equal(IngestDisposition.Stored, early.Disposition);
        Assert.Equal(new SeqRange(2, 2), early.NewGap);
        var gap = Assert.Single(await ledger.OpenGapsAsync(None));
        Assert.Equal((2L, 2L, GapStatus.Open), (gap.From, gap.To, gap.Status));

        var late = (await ledger.IngestAsync([chain[1]], None))[0];

        Assert.Equal(IngestDisposition.Stored, late.Disposition);
        Assert.True(late.FilledGap);
        Assert.Null(late.NewGap);
        Assert.Empty(await ledger.OpenGapsAsync(None));
        var summary = Assert.Single(await ledger.IntegrityAsync(ctx.Agent.Id, None));
        Assert.Equal((0L, 1L, 0L), (summary.GapsOpen, summary.GapsFilled, summary.MissingBatches));
        var integrity = await ledger.EventsAsync(new EventQuery(TypePrefix: "integrity."), None);
        Assert.Equal([IntegrityEventTypes.GapDetected, IntegrityEventTypes.GapFilled], integrity.Select(e => e.Type).Order(StringComparer.Ordinal));
        var filled = integrity.Single(e => e.Type == IntegrityEventTypes.GapFilled);
        Assert.Equal((2.0, 2.0, "metrics"), (filled.Data["from"].AsNumber, filled.Data["to"].AsNumber, filled.Data["stream"].AsString));
        Assert.Equal(ctx.Agent.Id, filled.Device);
    }

    [Fact]
    public async Task IngestAsync_FirstBatchAboveOne_OpensAGapFromOne()
    {
        await using var ctx = await NewContextAsync();
        var ledger = ctx.Ledger();
        var chain = ctx.Agent.MetricsChain(4);

        var outcome = (await ledger.IngestAsync([chain[3]], None))[0];

        Assert.Equal(new SeqRange(1, 3), outcome.NewGap);
    }

    [Fact]
    public async Task IngestAsync_BatchInsideAGap_SplitsIt()
    {
        await using var ctx = await NewContextAsync();
        var ledger = ctx.Ledger();
        var chain = ctx.Agent.MetricsChain(5);
        await ledger.IngestAsync([chain[0], chain[4]], None);

        var middle = (await ledger.IngestAsync([chain[2]], None))[0];

        Assert.True(middle.FilledGap);
        Assert.Equal([(2L, 2L), (4L, 4L)], (await ledger.OpenGapsAsync(None)).Select(g => (g.From, g.To)).OrderBy(r => r.From));
        await ledger.IngestAsync([chain[1], chain[3]], None);
        Assert.Empty(await ledger.OpenGapsAsync(None));
        Assert.Equal(2, Assert.Single(await ledger.IntegrityAsync(null, None)).GapsFilled);
    }

    [Fact]
    public async Task IngestAsync_StreamsOfOneAgent_HaveTheirOwnChains()
    {
        await using var ctx = await NewContextAsync();
        var ledger = ctx.Ledger();
        var metrics = ctx.Agent.MetricsChain(2);
        var events = ctx.Agent.Events(1, new Protocols.Telemetry.Model.TelemetryEvent("mr-01", "state", TestAgent.T0));

        var outcomes = await ledger.IngestAsync([metrics[0], events, metrics[1]], None);

        Assert.All(outcomes, o => Assert.Equal(IngestDisposition.Stored, o.Disposition));
        Assert.All(outcomes, o => Assert.Null(o.NewGap));
    }
}
