using System.Globalization;
using EquipmentIoT.Protocols.Telemetry.Chain;
using EquipmentIoT.Protocols.Telemetry.Commands;

namespace EquipmentIoT.Cloud.Storage;

/// <summary>A batch as the ledger stores it, for the chain decision: its seq, its chain hash and its <c>prev</c>.</summary>
public readonly record struct StoredLink(long Seq, string Hash, string? Prev);

/// <summary>What the ledger does with a verified batch (<see cref="ChainLedgerRules.Decide"/>).</summary>
public enum ChainLedgerAction
{
    /// <summary>Store it: it fits both stored neighbours (or has none yet).</summary>
    Store,

    /// <summary>The same bytes are stored at its seq: nothing to do.</summary>
    Duplicate,

    /// <summary>Other bytes are stored at its seq: two signed batches claim one place.</summary>
    Conflict,

    /// <summary>It does not link to a stored neighbour: its prev is not the hash of seq−1, or seq+1's prev is not its hash.</summary>
    Broken,
}

/// <summary>The decision and, for a quarantine, why.</summary>
public readonly record struct ChainLedgerDecision(ChainLedgerAction Action, string? Detail);

/// <summary>
/// The chain rules of SPEC.md §7 as the ledger applies them: against what is STORED around the incoming seq
/// (the batches at seq−1, seq and seq+1 of the same agent and stream), not against "the newest batch". The
/// result does not depend on the order in which batches arrive, so out-of-order arrival (a resend filling a
/// gap) and several ingestion instances sharing one store (each deciding inside its write transaction) agree.
/// Pure: no I/O.
/// </summary>
public static class ChainLedgerRules
{
    /// <summary>Decides an incoming batch (<paramref name="seq"/>, <paramref name="prev"/>, <paramref name="hash"/>) against its stored neighbours.</summary>
    /// <param name="same">The stored batch at <paramref name="seq"/>, if any.</param>
    /// <param name="before">The stored batch at seq−1, if any.</param>
    /// <param name="after">The stored batch at seq+1, if any.</param>
    public static ChainLedgerDecision Decide(long seq, string? prev, string hash, StoredLink? same, StoredLink? before, StoredLink? after)
    {
        ArgumentNullException.ThrowIfNull(hash);
        ArgumentOutOfRangeException.ThrowIfLessThan(seq, 1);
        if (same is { } s)
        {
            return TelemetryChain.FixedTimeEquals(hash, s.Hash)
                ? new ChainLedgerDecision(ChainLedgerAction.Duplicate, null)
                : new ChainLedgerDecision(ChainLedgerAction.Conflict,
                    string.Create(CultureInfo.InvariantCulture, $"seq {seq}: another batch with different bytes is stored at this seq"));
        }

        if (before is { } b && !TelemetryChain.FixedTimeEquals(prev, b.Hash))
        {
            return new ChainLedgerDecision(ChainLedgerAction.Broken,
                string.Create(CultureInfo.InvariantCulture, $"seq {seq}: prev is not the chain hash of the stored batch {b.Seq}"));
        }

        if (after is { } a && !TelemetryChain.FixedTimeEquals(a.Prev, hash))
        {
            return new ChainLedgerDecision(ChainLedgerAction.Broken,
                string.Create(CultureInfo.InvariantCulture, $"seq {seq}: its chain hash is not the prev of the stored batch {a.Seq}"));
        }

        return new ChainLedgerDecision(ChainLedgerAction.Store, null);
    }

    /// <summary>
    /// The seqs a newly stored batch reveals as missing: <c>max+1 … seq−1</c> after the stream's highest stored seq,
    /// or <c>1 … seq−1</c> on a stream with nothing stored. None when <paramref name="seq"/> is not beyond max+1.
    /// </summary>
    /// <param name="storedMax">The highest seq stored on the stream before this batch, or null when none.</param>
    public static bool TryNewGap(long? storedMax, long seq, out SeqRange gap)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(seq, 1);
        var from = (storedMax ?? 0) + 1;
        gap = new SeqRange(from, seq - 1);
        return seq > from;
    }

    /// <summary>
    /// What is left of <paramref name="gap"/> once <paramref name="seq"/> (inside it) arrived: nothing (the gap is
    /// filled), one range (it shrank from an end) or two (it split around the middle).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="seq"/> is not inside the gap.</exception>
    public static GapRemainder Fill(SeqRange gap, long seq)
    {
        if (seq < gap.From || seq > gap.To)
            throw new ArgumentOutOfRangeException(nameof(seq), seq, string.Create(CultureInfo.InvariantCulture, $"not inside the gap {gap}"));
        SeqRange? low = seq > gap.From ? new SeqRange(gap.From, seq - 1) : null;
        SeqRange? high = seq < gap.To ? new SeqRange(seq + 1, gap.To) : null;
        return new GapRemainder(low, high);
    }

    /// <summary>
    /// How <paramref name="gap"/> splits against a range the agent reports unavailable: the part before it, the
    /// overlap (which becomes a reported gap) and the part after it. No overlap when the ranges are disjoint.
    /// </summary>
    public static bool TrySplit(SeqRange gap, SeqRange unavailable, out SeqRange? before, out SeqRange overlap, out SeqRange? after)
    {
        var from = Math.Max(gap.From, unavailable.From);
        var to = Math.Min(gap.To, unavailable.To);
        overlap = new SeqRange(from, to);
        before = gap.From < from ? new SeqRange(gap.From, from - 1) : null;
        after = to < gap.To ? new SeqRange(to + 1, gap.To) : null;
        if (from <= to) return true;
        before = null;
        after = null;
        return false;
    }
}

/// <summary>What remains of a gap after one of its seqs arrived; neither range when it is filled.</summary>
public readonly record struct GapRemainder(SeqRange? Low, SeqRange? High)
{
    /// <summary>Every seq of the gap has arrived.</summary>
    public bool IsFilled => Low is null && High is null;
}
