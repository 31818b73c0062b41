using System.Runtime.Versioning;
using EquipmentIoT.EdgeAgent.Buffer;

namespace EquipmentIoT.EdgeAgent.Tests.Buffer;

[SupportedOSPlatform("linux")]
public class DurableBufferWriteFailureTests
{
    private const string Events = BufferStreams.Events;

    [Theory]
    [InlineData(0)]
    [InlineData(10)]
    [InlineData(28 + 50)]
    [InlineData(128 + 60)]
    public async Task AppendAsync_DiskFullMidWrite_FailsCleanlyAndNextAppendSucceeds(int bytesWritten)
    {
        await using var context = new BufferTestContext();
        using var io = new FaultySegmentIo();
        var buffer = context.Open(context.Options(), io);
        await BufferTestContext.AppendRangeAsync(buffer, Events, 1, 5);
        var file = Assert.Single(context.SegmentFiles(Events));
        io.FailNextWriteAfter(bytesWritten);

        var failed = await Assert.ThrowsAsync<BufferWriteException>(async () => await buffer.AppendAsync(Events, 6, TestRecords.Payload(6), CancellationToken.None));

        Assert.True(failed.DiskFull);
        Assert.Equal((Events, 6L), (failed.Stream, failed.Seq));
        Assert.Contains("disk is full", failed.Message, StringComparison.Ordinal);
        Assert.Equal(5 * TestRecords.RecordBytes, new FileInfo(file).Length);
        Assert.Equal(5, buffer.LastSeq(Events));
        Assert.Equal(5 * TestRecords.RecordBytes, buffer.GetStatistics().UsedBytes);

        await BufferTestContext.AppendRangeAsync(buffer, Events, 6, 7);
        await buffer.DisposeAsync();
        var reopened = context.Open();
        Assert.True(reopened.Recovery.IsClean);
        Assert.Equal(BufferTestContext.Seqs(1, 7), BufferTestContext.DrainSeqs(reopened, Events));
    }

    [Fact]
    public async Task AppendAsync_DiskFullWhenRollingToNewSegment_NewFileRemovedAndEarlierKept()
    {
        await using var context = new BufferTestContext();
        using var io = new FaultySegmentIo();
        var buffer = context.Open(context.Options(segmentBytes: 1024), io);
        await BufferTestContext.AppendRangeAsync(buffer, Events, 1, 8);
        io.FailNextWriteAfter(40);

        await Assert.ThrowsAsync<BufferWriteException>(async () => await buffer.AppendAsync(Events, 9, TestRecords.Payload(9), CancellationToken.None));

        Assert.Equal(["00000000000000000001.seg"], context.SegmentFiles(Events).Select(Path.GetFileName));
        await BufferTestContext.AppendRangeAsync(buffer, Events, 9, 10);
        Assert.Equal(BufferTestContext.Seqs(1, 10), BufferTestContext.DrainSeqs(buffer, Events));
    }

    [Fact]
    public async Task AppendAsync_FsyncFails_RecordRemovedAndQueuedRecordsFailToo()
    {
        await using var context = new BufferTestContext();
        using var io = new FaultySegmentIo();
        var buffer = context.Open(context.Options(), io);
        await BufferTestContext.AppendRangeAsync(buffer, Events, 1, 5);
        io.HoldNextFlush();
        var six = buffer.AppendAsync(Events, 6, TestRecords.Payload(6), CancellationToken.None).AsTask();
        Assert.True(await io.FlushEntered.WaitAsync(TimeSpan.FromSeconds(30)));
        var seven = buffer.AppendAsync(Events, 7, TestRecords.Payload(7), CancellationToken.None).AsTask();
        var eight = buffer.AppendAsync(Events, 8, TestRecords.Payload(8), CancellationToken.None).AsTask();

        io.ReleaseFlush(fail: true);

        var failed = await Assert.ThrowsAsync<BufferWriteException>(() => six);
        Assert.False(failed.DiskFull);
        await Assert.ThrowsAsync<BufferWriteException>(() => seven);
        await Assert.ThrowsAsync<BufferWriteException>(() => eight);
        Assert.Equal(5 * TestRecords.RecordBytes, new FileInfo(Assert.Single(context.SegmentFiles(Events))).Length);
        Assert.Equal(0, buffer.GetStatistics().UsedBytes - (5 * TestRecords.RecordBytes));

        // The stream continues from its last stored record.
        await Assert.ThrowsAsync<ArgumentException>(async () => await buffer.AppendAsync(Events, 9, TestRecords.Payload(9), CancellationToken.None));
        await BufferTestContext.AppendRangeAsync(buffer, Events, 6, 8);
        Assert.Equal(BufferTestContext.Seqs(1, 8), BufferTestContext.DrainSeqs(buffer, Events));
    }
}
