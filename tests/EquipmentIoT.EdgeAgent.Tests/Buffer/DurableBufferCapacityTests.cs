using System.Runtime.Versioning;
using EquipmentIoT.EdgeAgent.Buffer;
using Microsoft.Extensions.Logging;

namespace EquipmentIoT.EdgeAgent.Tests.Buffer;

// 128-byte records, 1 KiB segments (8 records). MaxBytes 4096 with a 1024-byte reserve: metrics may
// use 3072 bytes (24 records), events the whole 4096.
[SupportedOSPlatform("linux")]
public class DurableBufferCapacityTests
{
    private const string Metrics = BufferStreams.Metrics;
    private const string Events = BufferStreams.Events;

    [Fact]
    public async Task AppendAsync_BulkWhenFullOfUnsentData_RefusedCountedAndSeqNotUsed()
    {
        await using var context = new BufferTestContext();
        var buffer = context.Open(context.Options(maxBytes: 4096, reserve: 1024));
        await BufferTestContext.AppendRangeAsync(buffer, Metrics, 1, 24);

        Assert.Equal(AppendResult.Refused, await buffer.AppendAsync(Metrics, 25, TestRecords.Payload(25), CancellationToken.None));
        Assert.Equal(AppendResult.Refused, await buffer.AppendAsync(Metrics, 25, TestRecords.Payload(25), CancellationToken.None));

        var stats = buffer.GetStatistics();
        Assert.Equal((2L, 200L, 24L), (stats.RefusedBatches, stats.RefusedBytes, stats.For(Metrics).LastSeq));
        Assert.Equal(BufferPressure.Full, stats.Pressure);
        Assert.Equal(0, stats.EvictedAcknowledgedBatches);
        Assert.Equal(BufferTestContext.Seqs(1, 24), BufferTestContext.DrainSeqs(buffer, Metrics));
    }

    [Fact]
    public async Task AppendAsync_FullWithAcknowledgedSegment_EvictsItInsideRetentionThenStores()
    {
        await using var context = new BufferTestContext();
        var buffer = context.Open(context.Options(maxBytes: 4096, reserve: 1024));
        await BufferTestContext.AppendRangeAsync(buffer, Metrics, 1, 24);
        for (var seq = 1; seq <= 8; seq++) buffer.Acknowledge(Metrics, seq);

        Assert.Equal(AppendResult.Stored, await buffer.AppendAsync(Metrics, 25, TestRecords.Payload(25), CancellationToken.None));

        var stats = buffer.GetStatistics();
        Assert.Equal((8L, 1024L), (stats.EvictedAcknowledgedBatches, stats.EvictedAcknowledgedBytes));
        Assert.DoesNotContain("00000000000000000001.seg", context.SegmentFiles(Metrics).Select(Path.GetFileName));
        Assert.Contains(context.Log.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("deleted before their retention", StringComparison.Ordinal));
        // The ack file was written before the segment went, so a restart does not report the evicted seqs lost.
        await buffer.DisposeAsync();
        var reopened = context.Open(context.Options(maxBytes: 4096, reserve: 1024));
        Assert.True(reopened.Recovery.IsClean);
        Assert.Equal(BufferTestContext.Seqs(9, 25), BufferTestContext.DrainSeqs(reopened, Metrics));
    }

    [Fact]
    public async Task AppendAsync_AcknowledgedSegmentsOfBothStreams_OldestEvictedFirst()
    {
        await using var context = new BufferTestContext();
        var options = context.Options(maxBytes: 8192, reserve: 1024);
        var buffer = context.Open(options);
        await BufferTestContext.AppendRangeAsync(buffer, Events, 1, 16);
        context.Time.Advance(TimeSpan.FromMinutes(1));
        await BufferTestContext.AppendRangeAsync(buffer, Metrics, 1, 16);
        context.Time.Advance(TimeSpan.FromMinutes(1));
        for (var seq = 1; seq <= 8; seq++)
        {
            buffer.Acknowledge(Events, seq);
            buffer.Acknowledge(Metrics, seq);
        }

        await BufferTestContext.AppendRangeAsync(buffer, Metrics, 17, 40); // 56 records = 7168 bytes, the metrics limit
        Assert.Equal(0, buffer.GetStatistics().EvictedAcknowledgedBatches);
        Assert.Equal(AppendResult.Stored, await buffer.AppendAsync(Metrics, 41, TestRecords.Payload(41), CancellationToken.None));

        Assert.Equal(8, buffer.GetStatistics().EvictedAcknowledgedBatches);
        Assert.DoesNotContain("00000000000000000001.seg", context.SegmentFiles(Events).Select(Path.GetFileName));
        Assert.Contains("00000000000000000001.seg", context.SegmentFiles(Metrics).Select(Path.GetFileName));
    }

    [Fact]
    public async Task AppendAsync_CriticalBeyondBound_StoredCountedAndLoggedAsError()
    {
        await using var context = new BufferTestContext();
        var buffer = context.Open(context.Options(maxBytes: 4096, reserve: 1024));
        await BufferTestContext.AppendRangeAsync(buffer, Metrics, 1, 24);
        Assert.Equal(AppendResult.Refused, await buffer.AppendAsync(Metrics, 25, TestRecords.Payload(25), CancellationToken.None));

        await BufferTestContext.AppendRangeAsync(buffer, Events, 1, 8); // exactly the reserve
        Assert.Equal(0, buffer.GetStatistics().OverCapacityBytes);
        Assert.Equal(AppendResult.StoredOverCapacity, await buffer.AppendAsync(Events, 9, TestRecords.Payload(9), CancellationToken.None));
        Assert.Equal(AppendResult.StoredOverCapacity, await buffer.AppendAsync(Events, 10, TestRecords.Payload(10), CancellationToken.None));

        var stats = buffer.GetStatistics();
        Assert.Equal(2L * TestRecords.RecordBytes, stats.OverCapacityBytes);
        Assert.Equal(4096 + (2L * TestRecords.RecordBytes), stats.UsedBytes);
        Assert.Contains(context.Log.Entries, e => e.Level == LogLevel.Error && e.Message.Contains("never dropped", StringComparison.Ordinal));
        Assert.Equal(BufferTestContext.Seqs(1, 10), BufferTestContext.DrainSeqs(buffer, Events));
    }

    [Fact]
    public async Task Pressure_FillingAndAcknowledging_NormalThinningFullAndBack()
    {
        await using var context = new BufferTestContext();
        var buffer = context.Open(context.Options(maxBytes: 4096, reserve: 1024, threshold: 0.5));
        Assert.Equal(BufferPressure.Normal, buffer.Pressure);

        await BufferTestContext.AppendRangeAsync(buffer, Metrics, 1, 15);
        Assert.Equal(BufferPressure.Normal, buffer.Pressure); // 1920 bytes < 2048
        await BufferTestContext.AppendRangeAsync(buffer, Metrics, 16, 16);
        Assert.Equal(BufferPressure.Thinning, buffer.Pressure);
        await BufferTestContext.AppendRangeAsync(buffer, Metrics, 17, 23);
        Assert.Equal(BufferPressure.Thinning, buffer.Pressure); // one more record still fits
        await BufferTestContext.AppendRangeAsync(buffer, Metrics, 24, 24);
        Assert.Equal(BufferPressure.Full, buffer.Pressure);

        // Acknowledged segments count as free: they are evicted when room is needed.
        for (var seq = 1; seq <= 8; seq++) buffer.Acknowledge(Metrics, seq);
        Assert.Equal(BufferPressure.Thinning, buffer.Pressure);
        for (var seq = 9; seq <= 16; seq++) buffer.Acknowledge(Metrics, seq);
        Assert.Equal(BufferPressure.Normal, buffer.Pressure);
    }

    [Fact]
    public async Task ReadRangeAsync_AfterEviction_ReportsUnavailableSubRanges()
    {
        await using var context = new BufferTestContext();
        var buffer = context.Open(context.Options(maxBytes: 4096, reserve: 1024));
        await BufferTestContext.AppendRangeAsync(buffer, Metrics, 1, 24);
        for (var seq = 1; seq <= 10; seq++) buffer.Acknowledge(Metrics, seq);
        Assert.Equal(AppendResult.Stored, await buffer.AppendAsync(Metrics, 25, TestRecords.Payload(25), CancellationToken.None));

        var range = await buffer.ReadRangeAsync(Metrics, 1, 30, CancellationToken.None);

        Assert.Equal(BufferTestContext.Seqs(9, 25), range.Records.Select(r => r.Seq));
        Assert.Equal([new(1, 8), new(26, 30)], range.Unavailable);
    }

    [Fact]
    public async Task ReadRangeAsync_MoreThanMaxRangeReadBytes_StopsAndSaysWhereToContinue()
    {
        await using var context = new BufferTestContext();
        var options = context.Options();
        options.MaxRangeReadBytes = 1 << 20;
        var buffer = context.Open(options);
        for (var seq = 1; seq <= 3; seq++)
            await buffer.AppendAsync(Events, seq, TestRecords.Payload(seq, 400_000), CancellationToken.None);

        var first = await buffer.ReadRangeAsync(Events, 1, 3, CancellationToken.None);
        var rest = await buffer.ReadRangeAsync(Events, first.ContinueFrom!.Value, 3, CancellationToken.None);

        Assert.Equal([1L, 2], first.Records.Select(r => r.Seq));
        Assert.Empty(first.Unavailable);
        Assert.Equal(3, first.ContinueFrom);
        Assert.Equal([3L], rest.Records.Select(r => r.Seq));
        Assert.Null(rest.ContinueFrom);
    }
}
