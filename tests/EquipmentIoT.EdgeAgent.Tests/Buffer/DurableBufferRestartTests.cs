using System.Runtime.Versioning;
using EquipmentIoT.EdgeAgent.Buffer;

namespace EquipmentIoT.EdgeAgent.Tests.Buffer;

[SupportedOSPlatform("linux")]
public class DurableBufferRestartTests
{
    private const string Metrics = BufferStreams.Metrics;
    private const string Events = BufferStreams.Events;

    [Fact]
    public async Task Open_AfterRestart_KeepsUnacknowledgedAndResumesAtWatermarkPlusOne()
    {
        await using var context = new BufferTestContext();
        var buffer = context.Open();
        await BufferTestContext.AppendRangeAsync(buffer, Metrics, 1, 30);
        await BufferTestContext.AppendRangeAsync(buffer, Events, 1, 4);
        Assert.Equal(BufferTestContext.Seqs(1, 12), BufferTestContext.DrainSeqs(buffer, Metrics).Take(12));
        for (var seq = 1; seq <= 9; seq++) buffer.Acknowledge(Metrics, seq);
        buffer.Acknowledge(Metrics, 11);
        buffer.Acknowledge(Events, 1);
        await buffer.DisposeAsync();

        var reopened = context.Open();

        Assert.True(reopened.Recovery.IsClean);
        Assert.Equal((30L, 4L), (reopened.LastSeq(Metrics), reopened.LastSeq(Events)));
        Assert.Equal(9, reopened.GetStatistics().For(Metrics).AcknowledgedSeq);
        // Out-of-order acknowledgements above the watermark are not kept across a restart: 11 is sent again.
        Assert.Equal(BufferTestContext.Seqs(10, 30), BufferTestContext.DrainSeqs(reopened, Metrics));
        Assert.Equal(BufferTestContext.Seqs(2, 4), BufferTestContext.DrainSeqs(reopened, Events));
        Assert.Equal(AppendResult.Stored, await reopened.AppendAsync(Metrics, 31, TestRecords.Payload(31), CancellationToken.None));
    }

    [Fact]
    public async Task Open_AllAcknowledgedAndRetentionExpired_LastSeqAndLastRecordSurvive()
    {
        await using var context = new BufferTestContext();
        var buffer = context.Open(context.Options(segmentBytes: 1024));
        await BufferTestContext.AppendRangeAsync(buffer, Metrics, 1, 20);
        for (var seq = 1; seq <= 20; seq++) buffer.Acknowledge(Metrics, seq);
        buffer.RunMaintenance();
        Assert.Equal(3, context.SegmentFiles(Metrics).Length);

        context.Time.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMilliseconds(1));
        buffer.RunMaintenance();

        // The newest segment is never deleted: the agent needs its last record for the chain.
        Assert.Equal(["00000000000000000017.seg"], context.SegmentFiles(Metrics).Select(Path.GetFileName));
        Assert.Equal(16, buffer.GetStatistics().ExpiredAcknowledgedBatches);
        await buffer.DisposeAsync();
        context.Time.Advance(TimeSpan.FromDays(30));

        var reopened = context.Open(context.Options(segmentBytes: 1024));
        Assert.True(reopened.Recovery.IsClean);
        Assert.Equal(20, reopened.LastSeq(Metrics));
        Assert.Equal(TestRecords.Payload(20), reopened.LastRecord(Metrics));
        Assert.False(reopened.TryReadNextUnsent(Metrics, out _));
        Assert.Equal(0, reopened.LastSeq(Events));
        Assert.Null(reopened.LastRecord(Events));
        Assert.Equal(AppendResult.Stored, await reopened.AppendAsync(Metrics, 21, TestRecords.Payload(21), CancellationToken.None));
    }

    [Fact]
    public async Task RunMaintenance_AcknowledgedWithinRetention_KeepsSegments()
    {
        await using var context = new BufferTestContext();
        var buffer = context.Open(context.Options(segmentBytes: 1024));
        await BufferTestContext.AppendRangeAsync(buffer, Events, 1, 20);
        for (var seq = 1; seq <= 12; seq++) buffer.Acknowledge(Events, seq);
        context.Time.Advance(TimeSpan.FromDays(6));
        buffer.RunMaintenance();
        Assert.Equal(3, context.SegmentFiles(Events).Length);

        context.Time.Advance(TimeSpan.FromDays(2));
        buffer.RunMaintenance();

        // Only the first segment (1-8) is fully acknowledged; 9-16 still holds 13-16.
        Assert.Equal(2, context.SegmentFiles(Events).Length);
        var range = await buffer.ReadRangeAsync(Events, 1, 20, CancellationToken.None);
        Assert.Equal([new(1, 8)], range.Unavailable);
    }

    [Fact]
    public async Task RunMaintenance_AfterAcknowledge_WritesAckFileLazily()
    {
        await using var context = new BufferTestContext();
        var buffer = context.Open();
        await BufferTestContext.AppendRangeAsync(buffer, Events, 1, 3);
        var ackPath = Path.Combine(context.StreamDirectory(Events), "ack");
        buffer.Acknowledge(Events, 2);
        buffer.Acknowledge(Events, 1);
        buffer.RunMaintenance();
        Assert.Equal(2, AckFile.Decode(await File.ReadAllBytesAsync(ackPath), out _));

        buffer.Acknowledge(Events, 3);
        Assert.Equal(2, AckFile.Decode(await File.ReadAllBytesAsync(ackPath), out _));
        buffer.RunMaintenance();
        Assert.Equal(3, AckFile.Decode(await File.ReadAllBytesAsync(ackPath), out _));
        Assert.False(File.Exists(ackPath + ".tmp"));
    }
}
