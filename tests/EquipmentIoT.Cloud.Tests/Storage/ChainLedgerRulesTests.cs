using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Protocols.Telemetry.Commands;

namespace EquipmentIoT.Cloud.Tests.Storage;

public sealed class ChainLedgerRulesTests
{
    private const string H1 = "hash-of-batch-1-aaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string H2 = "hash-of-batch-2-aaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string H3 = "hash-of-batch-3-aaaaaaaaaaaaaaaaaaaaaaaaaaa";
    private const string Other = "hash-of-something-else-aaaaaaaaaaaaaaaaaaaa";

    [Fact]
    public void Decide_NothingStored_Stores()
    {
        Assert.Equal(ChainLedgerAction.Store, ChainLedgerRules.Decide(2, H1, H2, null, null, null).Action);
    }

    [Fact]
    public void Decide_PrevIsTheStoredBeforeHash_Stores()
    {
        Assert.Equal(ChainLedgerAction.Store, ChainLedgerRules.Decide(2, H1, H2, null, new StoredLink(1, H1, null), null).Action);
    }

    [Fact]
    public void Decide_SameHashStoredAtSeq_IsDuplicate()
    {
        Assert.Equal(ChainLedgerAction.Duplicate, ChainLedgerRules.Decide(2, H1, H2, new StoredLink(2, H2, H1), new StoredLink(1, H1, null), null).Action);
    }

    [Fact]
    public void Decide_OtherHashStoredAtSeq_IsConflictWithDetail()
    {
        var decision = ChainLedgerRules.Decide(2, H1, Other, new StoredLink(2, H2, H1), null, null);
        Assert.Equal(ChainLedgerAction.Conflict, decision.Action);
        Assert.Contains("seq 2", decision.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_PrevIsNotTheStoredBeforeHash_IsBroken()
    {
        var decision = ChainLedgerRules.Decide(2, Other, H2, null, new StoredLink(1, H1, null), null);
        Assert.Equal(ChainLedgerAction.Broken, decision.Action);
        Assert.Contains("prev", decision.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_HashIsNotTheStoredAftersPrev_IsBroken()
    {
        var decision = ChainLedgerRules.Decide(2, H1, Other, null, new StoredLink(1, H1, null), new StoredLink(3, H3, H2));
        Assert.Equal(ChainLedgerAction.Broken, decision.Action);
        Assert.Contains("batch 3", decision.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_MissingBatchFitsBothNeighbours_Stores()
    {
        Assert.Equal(ChainLedgerAction.Store, ChainLedgerRules.Decide(2, H1, H2, null, new StoredLink(1, H1, null), new StoredLink(3, H3, H2)).Action);
    }

    [Theory]
    [InlineData(null, 1L, false, 0L, 0L)]
    [InlineData(null, 4L, true, 1L, 3L)]
    [InlineData(3L, 4L, false, 0L, 0L)]
    [InlineData(3L, 7L, true, 4L, 6L)]
    [InlineData(9L, 5L, false, 0L, 0L)]
    public void TryNewGap_StoredMaxAndSeq_GivesTheMissingRange(long? max, long seq, bool expected, long from, long to)
    {
        Assert.Equal(expected, ChainLedgerRules.TryNewGap(max, seq, out var gap));
        if (expected) Assert.Equal(new SeqRange(from, to), gap);
    }

    [Fact]
    public void Fill_SeqInTheMiddle_SplitsTheGap()
    {
        var rest = ChainLedgerRules.Fill(new SeqRange(4, 8), 6);
        Assert.Equal(new SeqRange(4, 5), rest.Low);
        Assert.Equal(new SeqRange(7, 8), rest.High);
        Assert.False(rest.IsFilled);
    }

    [Fact]
    public void Fill_SeqAtAnEnd_ShrinksTheGap()
    {
        Assert.Equal(new GapRemainder(null, new SeqRange(5, 8)), ChainLedgerRules.Fill(new SeqRange(4, 8), 4));
        Assert.Equal(new GapRemainder(new SeqRange(4, 7), null), ChainLedgerRules.Fill(new SeqRange(4, 8), 8));
    }

    [Fact]
    public void Fill_LastMissingSeq_FillsTheGap()
    {
        Assert.True(ChainLedgerRules.Fill(new SeqRange(5, 5), 5).IsFilled);
    }

    [Fact]
    public void Fill_SeqOutsideTheGap_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ChainLedgerRules.Fill(new SeqRange(4, 8), 9));
    }

    [Fact]
    public void TrySplit_UnavailableInsideTheGap_GivesThreePieces()
    {
        Assert.True(ChainLedgerRules.TrySplit(new SeqRange(10, 20), new SeqRange(12, 15), out var before, out var overlap, out var after));
        Assert.Equal(new SeqRange(10, 11), before);
        Assert.Equal(new SeqRange(12, 15), overlap);
        Assert.Equal(new SeqRange(16, 20), after);
    }

    [Fact]
    public void TrySplit_UnavailableCoversTheGap_GivesOnlyTheOverlap()
    {
        Assert.True(ChainLedgerRules.TrySplit(new SeqRange(10, 20), new SeqRange(1, 30), out var before, out var overlap, out var after));
        Assert.Null(before);
        Assert.Equal(new SeqRange(10, 20), overlap);
        Assert.Null(after);
    }

    [Fact]
    public void TrySplit_DisjointRanges_IsFalse()
    {
        Assert.False(ChainLedgerRules.TrySplit(new SeqRange(10, 20), new SeqRange(21, 30), out _, out _, out _));
    }
}
