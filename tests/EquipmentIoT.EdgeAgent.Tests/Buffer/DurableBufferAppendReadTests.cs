using System.Runtime.Versioning;
using EquipmentIoT.EdgeAgent.Buffer;

namespace EquipmentIoT.EdgeAgent.Tests.Buffer;

[SupportedOSPlatform("linux")]
public class DurableBufferAppendReadTests
{
    private const string Metrics = BufferStreams.Metrics;
    private const string Events = BufferStreams.Events;

    [Fact]
    public async Task AppendAsync_ThenReadNextUnsent_RecordsInSeqOrderPerStream()
    {
        await using var context = new BufferTestContext();
        var buffer = context.Open();
        await BufferTestContext.AppendRangeAsync(buffer, Metrics, 1, 20);
        await BufferTestContext.AppendRangeAsync(buffer, Events, 1, 3);

        Assert.Equal(BufferTestContext.Seqs(1, 20), BufferTestContext.DrainSeqs(buffer, Metrics));
        Assert.Equal(BufferTestContext.Seqs(1, 3), BufferTestContext.DrainSeqs(buffer, Events));
        Assert.Equal(20, buffer.LastSeq(Metrics));
        Assert.Equal(TestRecords.Payload(20), buffer.LastRecord(Metrics));
        Assert.Equal(TestRecords.Payload(3), buffer.LastRecord(Events));
    }

    [Fact]
    public async Task AppendAsync_RecordsBeyondSegmentSize_RollsSegmentsNamedByFirstSeq()
    {
        await using var context = new BufferTestContext();
        var buffer = context.Open(context.Options(segmentBytes: 1024));
        await BufferTestContext.AppendRangeAsync(buffer, Metrics, 1, 20);

        Assert.Equal(["00000000000000000001.seg", "00000000000000000009.seg", "00000000000000000017.seg"],
            context.SegmentFiles(Metrics).Select(Path.GetFileName));
        Assert.Equal(1024, new FileInfo(context.SegmentFiles(Metrics)[0]).Length);
        Assert.Equal(BufferTestContext.Seqs(1, 20), BufferTestContext.DrainSeqs(buffer, Metrics));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(5)]
    public async Task AppendAsync_SeqNotLastPlusOne_ThrowsArgumentException(long seq)
    {
        await using var context = new BufferTestContext();
        var buffer = context.Open();
        await BufferTestContext.AppendRangeAsync(buffer, Metrics, 1, 2);
        await Assert.ThrowsAsync<ArgumentException>(async () => await buffer.AppendAsync(Metrics, seq, TestRecords.Payload(seq), CancellationToken.None));
        Assert.Equal(AppendResult.Stored, await buffer.AppendAsync(Metrics, 3, TestRecords.Payload(3), CancellationToken.None));
    }

    [Fact]
    public async Task AppendAsync_UnknownStreamOrBadRecord_ThrowsArgumentException()
    {
        await using var context = new BufferTestContext();
        var buffer = context.Open();
        await Assert.ThrowsAsync<ArgumentException>(async () => await buffer.AppendAsync("logs", 1, TestRecords.Payload(1), CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(async () => await buffer.AppendAsync(Metrics, 1, ReadOnlyMemory<byte>.Empty, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(async () => await buffer.AppendAsync(Metrics, 1, new byte[(1 << 20) + 1], CancellationToken.None));
    }

    [Fact]
    public async Task AppendAsync_ConcurrentProducers_ShareFsyncs()
    {
        // The first record's fsync is held until the other 999 are queued: they must go to disk as one group.
        await using var context = new BufferTestContext();
        using var io = new FaultySegmentIo();
        var buffer = context.Open(context.Options(segmentBytes: 16L << 20), io);
        io.HoldNextFlush();
        var next = 0L;
        var gate = new object();
        var first = buffer.AppendAsync(Metrics, Interlocked.Increment(ref next), TestRecords.Payload(1), CancellationToken.None).AsTask();
        Assert.True(await io.FlushEntered.WaitAsync(TimeSpan.FromSeconds(30)));

        var producers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            var mine = new List<Task<AppendResult>>();
            for (var i = 0; i < 999 / 4 + 1; i++)
            {
                lock (gate)
                {
                    if (next == 1000) break;
                    var seq = ++next;
                    mine.Add(buffer.AppendAsync(Metrics, seq, TestRecords.Payload(seq), CancellationToken.None).AsTask());
                }
            }

            return mine;
        })).ToList();
        var appends = (await Task.WhenAll(producers)).SelectMany(x => x).ToList();
        io.ReleaseFlush();
        Assert.Equal(AppendResult.Stored, await first);
        foreach (var append in appends) Assert.Equal(AppendResult.Stored, await append);

        Assert.Equal(999, appends.Count);
        // One file fsync for the held record, one for the other 999 together (+1 for the new segment's directory entry).
        Assert.Equal(2, io.Flushes);
        Assert.Equal(3, buffer.FsyncCount);
        Assert.Equal(BufferTestContext.Seqs(1, 1000), BufferTestContext.DrainSeqs(buffer, Metrics));
    }

    [Fact]
    public async Task ReadNextUnsentAsync_NothingAppended_CompletesWhenRecordAppended()
    {
        await using var context = new BufferTestContext();
        var buffer = context.Open();
        var read = buffer.ReadNextUnsentAsync(Events, CancellationToken.None).AsTask();
        Assert.False(read.IsCompleted);

        await buffer.AppendAsync(Events, 1, TestRecords.Payload(1), CancellationToken.None);
        var record = await read.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal((Events, 1L), (record.Stream, record.Seq));
        Assert.Equal(TestRecords.Payload(1), record.Payload.ToArray());
        Assert.Equal(context.Time.GetUtcNow(), record.AppendedAt);
    }

    [Fact]
    public async Task ReadNextUnsentAsync_Cancelled_ThrowsOperationCanceled()
    {
        await using var context = new BufferTestContext();
        var buffer = context.Open();
        using var cancel = new CancellationTokenSource();
        var read = buffer.ReadNextUnsentAsync(Events, cancel.Token).AsTask();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read);
    }

    [Fact]
    public async Task ReadNextUnsentAsync_BufferDisposedWhileWaiting_ThrowsObjectDisposed()
    {
        await using var context = new BufferTestContext();
        var buffer = context.Open();
        var read = buffer.ReadNextUnsentAsync(Events, CancellationToken.None).AsTask();
        await buffer.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => read);
    }

    [Fact]
    public async Task TryReadNextUnsent_EarlierPayloads_StayValidAfterLaterReads()
    {
        await using var context = new BufferTestContext();
        var buffer = context.Open();
        await BufferTestContext.AppendRangeAsync(buffer, Metrics, 1, 50);
        var records = new List<BufferedRecord>();
        while (buffer.TryReadNextUnsent(Metrics, out var r))
        {
            records.Add(r);
            buffer.Acknowledge(Metrics, r.Seq);
        }

        buffer.RunMaintenance();
        Assert.All(records, r => Assert.Equal(TestRecords.Payload(r.Seq), r.Payload.ToArray()));
    }

    [Fact]
    public async Task Acknowledge_OutOfOrder_WatermarkAdvancesOnlyOverContiguousPrefix()
    {
        await using var context = new BufferTestContext();
        var buffer = context.Open();
        await BufferTestContext.AppendRangeAsync(buffer, Metrics, 1, 5);

        long Watermark() => buffer.GetStatistics().For(Metrics).AcknowledgedSeq;
        buffer.Acknowledge(Metrics, 2);
        buffer.Acknowledge(Metrics, 3);
        Assert.Equal(0, Watermark());
        buffer.Acknowledge(Metrics, 1);
        Assert.Equal(3, Watermark());
        buffer.Acknowledge(Metrics, 5);
        Assert.Equal(3, Watermark());
        Assert.Equal(1, buffer.GetStatistics().For(Metrics).UnacknowledgedBatches);
        buffer.Acknowledge(Metrics, 4);
        Assert.Equal(5, Watermark());
        buffer.Acknowledge(Metrics, 4);
        Assert.Equal(5, Watermark());
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Acknowledge(Metrics, 6));
    }

    [Fact]
    public async Task RewindToUnacknowledged_AfterReads_ResendsUnacknowledgedOnly()
    {
        await using var context = new BufferTestContext();
        var buffer = context.Open();
        await BufferTestContext.AppendRangeAsync(buffer, Metrics, 1, 5);
        Assert.Equal(BufferTestContext.Seqs(1, 5), BufferTestContext.DrainSeqs(buffer, Metrics));
        buffer.Acknowledge(Metrics, 1);
        buffer.Acknowledge(Metrics, 3);

        buffer.RewindToUnacknowledged(Metrics);

        Assert.Equal([2L, 4, 5], BufferTestContext.DrainSeqs(buffer, Metrics));
    }

    [Fact]
    public async Task GetStatistics_AfterAppendsReadsAndAcks_CountsPerStream()
    {
        await using var context = new BufferTestContext();
        var buffer = context.Open();
        await BufferTestContext.AppendRangeAsync(buffer, Metrics, 1, 3);
        context.Time.Advance(TimeSpan.FromSeconds(10));
        await BufferTestContext.AppendRangeAsync(buffer, Metrics, 4, 10);
        for (var i = 0; i < 3; i++) Assert.True(buffer.TryReadNextUnsent(Metrics, out _));
        buffer.Acknowledge(Metrics, 1);

        var stats = buffer.GetStatistics();
        var metrics = stats.For(Metrics);
        Assert.Equal((10L, 1L, 7L, 700L, 9L), (metrics.LastSeq, metrics.AcknowledgedSeq, metrics.UnsentBatches, metrics.UnsentBytes, metrics.UnacknowledgedBatches));
        Assert.Equal(ManualTimeProvider.DefaultStart.AddSeconds(10), metrics.OldestUnsentAppendedAt);
        Assert.Equal(10 * TestRecords.RecordBytes, metrics.UsedBytes);
        Assert.Equal(10 * TestRecords.RecordBytes, stats.UsedBytes);
        Assert.Equal((0L, 0L, (DateTimeOffset?)null), (stats.For(Events).LastSeq, stats.For(Events).UnsentBatches, stats.For(Events).OldestUnsentAppendedAt));
        Assert.True(stats.Fsyncs >= 1);
        Assert.True(stats.Recovery.IsClean);
    }

    [Fact]
    public async Task ReadRangeAsync_AcknowledgedAndUnacknowledged_ReturnsRecordsAndMissingTail()
    {
        await using var context = new BufferTestContext();
        var buffer = context.Open();
        await BufferTestContext.AppendRangeAsync(buffer, Events, 1, 10);
        for (var seq = 1; seq <= 6; seq++) buffer.Acknowledge(Events, seq);

        var range = await buffer.ReadRangeAsync(Events, 4, 12, CancellationToken.None);

        Assert.Equal(BufferTestContext.Seqs(4, 10), range.Records.Select(r => r.Seq));
        Assert.All(range.Records, r => Assert.Equal(TestRecords.Payload(r.Seq), r.Payload.ToArray()));
        Assert.Equal([new(11, 12)], range.Unavailable);
        Assert.Null(range.ContinueFrom);
        Assert.False(buffer.TryReadNextUnsent(Events, out var next) && next.Seq != 7, "a range read must not move the cursor");
    }

    [Fact]
    public async Task DisposeAsync_PendingAppends_WrittenBeforeClose()
    {
        await using var context = new BufferTestContext();
        var buffer = context.Open();
        var appends = Enumerable.Range(1, 200).Select(seq => buffer.AppendAsync(Events, seq, TestRecords.Payload(seq), CancellationToken.None).AsTask()).ToList();
        await buffer.DisposeAsync();
        Assert.All(appends, a => Assert.Equal(AppendResult.Stored, a.Result));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await buffer.AppendAsync(Events, 201, TestRecords.Payload(201), CancellationToken.None));

        var reopened = context.Open();
        Assert.Equal(BufferTestContext.Seqs(1, 200), BufferTestContext.DrainSeqs(reopened, Events));
    }
}
