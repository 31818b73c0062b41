using System.Runtime.Versioning;
using EquipmentIoT.EdgeAgent.Batching;
using NodaTime;

namespace EquipmentIoT.EdgeAgent.Tests.Batching;

/// <summary>The batch being filled: closed when full or old, handed over in order, bounded (with counted drops) when asked.</summary>
[SupportedOSPlatform("linux")]
public sealed class OpenBatchTests
{
    private static readonly Instant T0 = Instant.FromUtc(2026, 3, 1, 8, 0);
    private static readonly Duration MaxAge = Duration.FromSeconds(1);

    [Fact]
    public void Add_ReachesMaxItems_ClosesTheBatchAndStartsANewOne()
    {
        var batch = new OpenBatch<int>(maxItems: 3, pendingBound: null, onDropped: null);

        for (var i = 0; i < 7; i++) batch.Add(i, T0);

        Assert.Equal([[0, 1, 2], [3, 4, 5]], Drain(batch));
        Assert.Equal(1, batch.Count);
    }

    [Fact]
    public void CloseIfDue_YoungerThanMaxAge_StaysOpen()
    {
        var batch = new OpenBatch<int>(maxItems: 100, pendingBound: null, onDropped: null);
        batch.Add(1, T0);
        batch.Add(2, T0 + Duration.FromMilliseconds(900));

        batch.CloseIfDue(T0 + Duration.FromMilliseconds(999), MaxAge);

        Assert.Empty(Drain(batch));
        Assert.Equal(2, batch.Count);
    }

    [Fact]
    public void CloseIfDue_MaxAgeSinceTheFirstItem_Closes()
    {
        var batch = new OpenBatch<int>(maxItems: 100, pendingBound: null, onDropped: null);
        batch.Add(1, T0);
        batch.Add(2, T0 + Duration.FromMilliseconds(900));

        batch.CloseIfDue(T0 + MaxAge, MaxAge);

        Assert.Equal([[1, 2]], Drain(batch));
        Assert.Equal(0, batch.Count);
    }

    [Fact]
    public void CloseIfDue_AgeCountsFromTheFirstItemOfTheNewBatch()
    {
        var batch = new OpenBatch<int>(maxItems: 2, pendingBound: null, onDropped: null);
        batch.Add(1, T0);
        batch.Add(2, T0); // full: closed
        batch.Add(3, T0 + Duration.FromSeconds(5));

        batch.CloseIfDue(T0 + Duration.FromMilliseconds(5500), MaxAge);
        Assert.Equal([[1, 2]], Drain(batch));

        batch.CloseIfDue(T0 + Duration.FromSeconds(6), MaxAge);
        Assert.Equal([[3]], Drain(batch));
    }

    [Fact]
    public void CloseIfDue_NoMaxAge_ClosesWhateverIsOpen()
    {
        var batch = new OpenBatch<int>(maxItems: 100, pendingBound: null, onDropped: null);
        batch.CloseIfDue(T0, null);
        Assert.Empty(Drain(batch));

        batch.Add(1, T0);
        batch.CloseIfDue(T0, null);

        Assert.Equal([[1]], Drain(batch));
    }

    [Fact]
    public void Closed_FullAndAgedClosesMixed_BatchesInTheOrderTheyClosed()
    {
        var batch = new OpenBatch<int>(maxItems: 3, pendingBound: null, onDropped: null);
        var now = T0;
        var next = 0;
        for (var round = 0; round < 5; round++)
        {
            // Round r adds r + 1 items: from round 2 on one batch closes full, and what is left closes by age.
            for (var i = 0; i <= round; i++) batch.Add(next++, now);
            now += MaxAge;
            batch.CloseIfDue(now, MaxAge);
        }

        var closed = Drain(batch);
        Assert.Equal(Enumerable.Range(0, next), closed.SelectMany(b => b));
        Assert.All(closed, b => Assert.InRange(b.Count, 1, 3));
    }

    [Fact]
    public void Add_BoundedChannelFull_BatchDroppedAndItsItemsReported()
    {
        var dropped = new List<int>();
        var batch = new OpenBatch<int>(maxItems: 2, pendingBound: 2, onDropped: dropped.Add);

        for (var i = 0; i < 9; i++) batch.Add(i, T0);

        // Four full batches, room for two: the third and fourth are dropped whole; the ninth item waits open.
        Assert.Equal([2, 2], dropped);
        Assert.Equal([[0, 1], [2, 3]], Drain(batch));
        Assert.Equal(1, batch.Count);
    }

    [Fact]
    public void Add_BoundedChannelDrainedAgain_NextBatchesAccepted()
    {
        var dropped = new List<int>();
        var batch = new OpenBatch<int>(maxItems: 1, pendingBound: 1, onDropped: dropped.Add);
        batch.Add(0, T0);
        batch.Add(1, T0);
        Assert.Equal([[0]], Drain(batch));

        batch.Add(2, T0);

        Assert.Equal([1], dropped);
        Assert.Equal([[2]], Drain(batch));
    }

    [Fact]
    public async Task Complete_ItemsOpen_FlushedThenTheChannelCompletes()
    {
        var batch = new OpenBatch<int>(maxItems: 3, pendingBound: 8, onDropped: null);
        for (var i = 0; i < 5; i++) batch.Add(i, T0);

        batch.Complete();

        var all = new List<List<int>>();
        await foreach (var closed in batch.Closed.Reader.ReadAllAsync().WithCancellation(CancellationToken.None)) all.Add(closed);
        Assert.Equal([[0, 1, 2], [3, 4]], all);
        Assert.True(batch.Closed.Reader.Completion.IsCompletedSuccessfully);
        Assert.Equal(0, batch.Count);
    }

    [Fact]
    public void Complete_Empty_CompletesWithoutAnEmptyBatch()
    {
        var batch = new OpenBatch<int>(maxItems: 3, pendingBound: null, onDropped: null);

        batch.Complete();

        Assert.False(batch.Closed.Reader.TryRead(out _));
        Assert.True(batch.Closed.Reader.Completion.IsCompleted);
    }

    [Fact]
    public void Complete_BoundedChannelFull_LastBatchDroppedAndReported()
    {
        var dropped = new List<int>();
        var batch = new OpenBatch<int>(maxItems: 2, pendingBound: 1, onDropped: dropped.Add);
        batch.Add(0, T0);
        batch.Add(1, T0);
        batch.Add(2, T0);

        batch.Complete();

        Assert.Equal([1], dropped);
        Assert.Equal([[0, 1]], Drain(batch));
        Assert.True(batch.Closed.Reader.Completion.IsCompleted);
    }

    private static List<List<int>> Drain(OpenBatch<int> batch)
    {
        var closed = new List<List<int>>();
        while (batch.Closed.Reader.TryRead(out var items)) closed.Add(items);
        return closed;
    }
}
