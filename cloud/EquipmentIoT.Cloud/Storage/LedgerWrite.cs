using EquipmentIoT.Protocols.Telemetry.Commands;
using EquipmentIoT.Protocols.Telemetry.Model;
using NodaTime;

namespace EquipmentIoT.Cloud.Storage;

/// <summary>
/// The work of one ledger write transaction: the chain decision of each batch against what is stored (batches
/// stored earlier in the same transaction included, so two batches of one stream in one call are decided in
/// order), events, gap bookkeeping, quarantine, integrity events, and the per-agent counters added at the end.
/// </summary>
internal sealed class LedgerWrite(ILedgerCommands commands)
{
    private readonly Dictionary<string, IntegrityCounts> _counts = new(StringComparer.Ordinal);

    /// <summary>The statements, bound to this transaction.</summary>
    public ILedgerCommands Commands => commands;

    public async Task<IngestOutcome> IngestAsync(IncomingBatch incoming, CancellationToken cancellationToken)
    {
        var batch = incoming.Batch;
        var links = await commands.NeighboursAsync(batch.Agent, batch.Stream, batch.Seq, cancellationToken).ConfigureAwait(false);
        var decision = ChainLedgerRules.Decide(batch.Seq, batch.Prev, incoming.Hash, links.Same, links.Before, links.After);
        IngestOutcome outcome;
        switch (decision.Action)
        {
            case ChainLedgerAction.Duplicate:
                outcome = new IngestOutcome(IngestDisposition.Duplicate, links.SameId, null, null, null, false);
                break;
            case ChainLedgerAction.Store:
                outcome = await StoreAsync(incoming, cancellationToken).ConfigureAwait(false);
                break;
            default:
                var reason = decision.Action == ChainLedgerAction.Conflict ? QuarantineReason.Conflict : QuarantineReason.BrokenChain;
                var entry = new QuarantineEntry(batch.Agent, incoming.Kid, batch.Stream, batch.Seq, reason, decision.Detail!, incoming.Received, incoming.Jws);
                await QuarantineAsync(entry, cancellationToken).ConfigureAwait(false);
                return new IngestOutcome(IngestDisposition.Quarantined, null, reason, decision.Detail, null, false);
        }
        CountsOf(batch.Agent).Count(outcome.Disposition, incoming.Received);
        return outcome;
    }

    /// <summary>Puts a message in quarantine with its integrity event, and counts it.</summary>
    public async Task QuarantineAsync(QuarantineEntry entry, CancellationToken cancellationToken)
    {
        await commands.InsertQuarantineAsync(entry, cancellationToken).ConfigureAwait(false);
        var data = new Dictionary<string, EventValue>(StringComparer.Ordinal)
        {
            ["reason"] = entry.Reason.ToString(),
            ["detail"] = entry.Detail,
        };
        if (entry.Stream is { } stream) data["stream"] = stream;
        if (entry.Seq is { } seq) data["seq"] = seq;
        if (entry.Kid is { } kid) data["kid"] = kid;
        await RaiseAsync(entry.Agent, IntegrityEventTypes.Quarantined, entry.Received, data, cancellationToken).ConfigureAwait(false);
        CountsOf(entry.Agent).Count(IngestDisposition.Quarantined, entry.Received);
    }

    /// <summary>Turns the parts of open gaps that the agent reports it no longer has into reported gaps.</summary>
    public async Task RecordUnavailableAsync(string agent, string stream, SeqRange unavailable, Instant at, CancellationToken cancellationToken)
    {
        var gaps = await commands.OpenGapsOverlappingAsync(agent, stream, unavailable, cancellationToken).ConfigureAwait(false);
        foreach (var gap in gaps)
        {
            if (!ChainLedgerRules.TrySplit(gap.Range, unavailable, out var before, out var overlap, out var after)) continue;
            // The pieces that stay open are copied while the row is still open; then the row becomes the reported part.
            if (before is { } b) await commands.CopyGapAsync(gap.Id, b, cancellationToken).ConfigureAwait(false);
            if (after is { } a) await commands.CopyGapAsync(gap.Id, a, cancellationToken).ConfigureAwait(false);
            await commands.UpdateGapAsync(gap.Id, overlap, GapStatus.ReportedUnavailable, at, cancellationToken).ConfigureAwait(false);
            await RaiseAsync(agent, IntegrityEventTypes.GapUnavailable, at, GapData(stream, overlap, "reported unavailable by the agent"),
                cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Adds the gathered counters, one statement per agent.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        // In agent order: two PostgreSQL transactions updating the same counter rows then lock them in one order (no deadlock).
        foreach (var (agent, counts) in _counts.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            await commands.AddCountersAsync(agent, counts, cancellationToken).ConfigureAwait(false);
        _counts.Clear();
    }

    private async Task<IngestOutcome> StoreAsync(IncomingBatch incoming, CancellationToken cancellationToken)
    {
        var batch = incoming.Batch;
        var max = await commands.MaxSeqAsync(batch.Agent, batch.Stream, cancellationToken).ConfigureAwait(false);
        var id = await commands.InsertBatchAsync(incoming, cancellationToken).ConfigureAwait(false);
        foreach (var e in batch.Events)
        {
            await commands.InsertEventAsync(batch.Agent, e.Device, e.Type, e.Timestamp, EventDataJson.Write(e.Data), id, cancellationToken)
                .ConfigureAwait(false);
        }

        SeqRange? newGap = null;
        var filled = false;
        if (ChainLedgerRules.TryNewGap(max, batch.Seq, out var gap))
        {
            await commands.InsertGapAsync(batch.Agent, batch.Stream, gap, incoming.Received, cancellationToken).ConfigureAwait(false);
            await RaiseAsync(batch.Agent, IntegrityEventTypes.GapDetected, incoming.Received, GapData(batch.Stream, gap, "missing before seq " + batch.Seq),
                cancellationToken).ConfigureAwait(false);
            newGap = gap;
        }
        else if (max is { } m && batch.Seq < m)
        {
            filled = await FillAsync(batch.Agent, batch.Stream, batch.Seq, incoming.Received, cancellationToken).ConfigureAwait(false);
        }
        return new IngestOutcome(IngestDisposition.Stored, id, null, null, newGap, filled);
    }

    /// <summary>Shrinks, splits or closes the gap holding <paramref name="seq"/>; false when no gap held it.</summary>
    private async Task<bool> FillAsync(string agent, string stream, long seq, Instant at, CancellationToken cancellationToken)
    {
        if (await commands.FindUnfilledGapAsync(agent, stream, seq, cancellationToken).ConfigureAwait(false) is not { } gap) return false;
        var rest = ChainLedgerRules.Fill(gap.Range, seq);
        if (rest.IsFilled)
        {
            await commands.UpdateGapAsync(gap.Id, gap.Range, GapStatus.Filled, at, cancellationToken).ConfigureAwait(false);
            await RaiseAsync(agent, IntegrityEventTypes.GapFilled, at, GapData(stream, gap.Range, "every missing batch arrived"), cancellationToken)
                .ConfigureAwait(false);
            return true;
        }

        if (rest is { Low: not null, High: { } high }) await commands.CopyGapAsync(gap.Id, high, cancellationToken).ConfigureAwait(false);
        await commands.SetGapRangeAsync(gap.Id, rest.Low ?? rest.High!.Value, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private Task RaiseAsync(string agent, string type, Instant at, Dictionary<string, EventValue> data, CancellationToken cancellationToken) =>
        commands.InsertEventAsync(agent, agent, type, at, EventDataJson.Write(data), null, cancellationToken);

    private static Dictionary<string, EventValue> GapData(string stream, SeqRange range, string reason) => new(StringComparer.Ordinal)
    {
        ["stream"] = stream,
        ["from"] = range.From,
        ["to"] = range.To,
        ["reason"] = reason,
    };

    private IntegrityCounts CountsOf(string agent)
    {
        if (!_counts.TryGetValue(agent, out var counts)) _counts[agent] = counts = new IntegrityCounts();
        return counts;
    }
}
