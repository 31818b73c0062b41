using System.Runtime.Versioning;
using EquipmentIoT.EdgeAgent.Buffer;
using Microsoft.Extensions.Logging;

namespace EquipmentIoT.EdgeAgent.Tests.Buffer;

[SupportedOSPlatform("linux")]
public class DurableBufferRecoveryTests
{
    private const string Metrics = BufferStreams.Metrics;
    private const string Events = BufferStreams.Events;
    private const int Record = TestRecords.RecordBytes;

    [Fact]
    public async Task Open_LastRecordTornAtEveryOffset_EarlierRecordsKeptAndTailCut()
    {
        await using var context = new BufferTestContext();
        var writer = context.Open();
        await BufferTestContext.AppendRangeAsync(writer, Events, 1, 5);
        await writer.DisposeAsync();
        var file = Assert.Single(context.SegmentFiles(Events));
        var name = Path.GetFileName(file);
        var whole = await File.ReadAllBytesAsync(file);
        var lastStart = 4 * Record;

        for (var length = lastStart + 1; length < whole.Length; length++)
        {
            var root = Path.Combine(context.Root, "torn-" + length);
            Directory.CreateDirectory(Path.Combine(root, Events));
            var torn = Path.Combine(root, Events, name);
            await File.WriteAllBytesAsync(torn, whole.AsMemory(0, length));

            await using (var buffer = DurableBuffer.Open(context.Options(directory: root), context.Time, context.Log))
            {
                var report = buffer.Recovery.For(Events);
                Assert.Equal((4L, (long)(length - lastStart)), (report.RecordsKept, report.BytesCut));
                Assert.Empty(report.LostRanges);
                Assert.Equal([name], report.FilesAffected);
                Assert.Equal(4, buffer.LastSeq(Events));
                Assert.Equal(TestRecords.Payload(4), buffer.LastRecord(Events));
                Assert.Equal(lastStart, new FileInfo(torn).Length);
                Assert.Equal(BufferTestContext.Seqs(1, 4), BufferTestContext.DrainSeqs(buffer, Events));
                Assert.Equal(AppendResult.Stored, await buffer.AppendAsync(Events, 5, TestRecords.Payload(5), CancellationToken.None));
            }

            await using (var again = DurableBuffer.Open(context.Options(directory: root), context.Time, context.Log))
            {
                Assert.True(again.Recovery.IsClean);
                Assert.Equal(BufferTestContext.Seqs(1, 5), BufferTestContext.DrainSeqs(again, Events));
            }

            Directory.Delete(root, recursive: true);
        }
    }

    [Theory]
    [InlineData(0)] // magic
    [InlineData(5)] // length
    [InlineData(9)] // seq
    [InlineData(26)] // crc
    [InlineData(28 + 50)] // payload
    public async Task Open_ByteCorruptedInMiddleRecord_ResyncKeepsLaterRecordsAndReportsLostSeq(int offsetInRecord)
    {
        await using var context = new BufferTestContext();
        var writer = context.Open();
        await BufferTestContext.AppendRangeAsync(writer, Metrics, 1, 5);
        await writer.DisposeAsync();
        var file = Assert.Single(context.SegmentFiles(Metrics));
        var bytes = await File.ReadAllBytesAsync(file);
        bytes[(2 * Record) + offsetInRecord] ^= 0x5A;
        await File.WriteAllBytesAsync(file, bytes);

        var buffer = context.Open();

        var report = buffer.Recovery.For(Metrics);
        Assert.Equal((4L, (long)Record), (report.RecordsKept, report.BytesCut));
        Assert.Equal([new(3, 3)], report.LostRanges);
        Assert.Equal([Path.GetFileName(file)], report.FilesAffected);
        Assert.Equal([1L, 2, 4, 5], BufferTestContext.DrainSeqs(buffer, Metrics));
        Assert.Equal(5 * Record, new FileInfo(file).Length);
        Assert.Contains(context.Log.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("[3,3]", StringComparison.Ordinal));

        // Nobody can acknowledge the lost seq: the watermark steps over it.
        foreach (var seq in new[] { 1L, 2, 4, 5 }) buffer.Acknowledge(Metrics, seq);
        Assert.Equal(5, buffer.GetStatistics().For(Metrics).AcknowledgedSeq);
        var range = await buffer.ReadRangeAsync(Metrics, 1, 5, CancellationToken.None);
        Assert.Equal([new(3, 3)], range.Unavailable);
    }

    [Fact]
    public async Task Open_EmptyAndGarbageSegmentFiles_DeletedAndReported()
    {
        await using var context = new BufferTestContext();
        var writer = context.Open();
        await BufferTestContext.AppendRangeAsync(writer, Metrics, 1, 5);
        await writer.DisposeAsync();
        var directory = context.StreamDirectory(Metrics);
        var garbage = new byte[5000];
        new Random(42).NextBytes(garbage);
        await File.WriteAllBytesAsync(Path.Combine(directory, "00000000000000000006.seg"), garbage);
        await File.WriteAllBytesAsync(Path.Combine(directory, "00000000000000000007.seg"), []);
        Directory.CreateDirectory(context.StreamDirectory(Events));
        await File.WriteAllBytesAsync(Path.Combine(context.StreamDirectory(Events), "00000000000000000001.seg"), garbage);

        var buffer = context.Open();

        var metrics = buffer.Recovery.For(Metrics);
        Assert.Equal((5L, 5000L), (metrics.RecordsKept, metrics.BytesCut));
        Assert.Equal(["00000000000000000006.seg", "00000000000000000007.seg"], metrics.FilesAffected);
        Assert.Equal(["00000000000000000001.seg"], context.SegmentFiles(Metrics).Select(Path.GetFileName));
        Assert.Equal(5, buffer.LastSeq(Metrics));
        var events = buffer.Recovery.For(Events);
        Assert.Equal((0L, 5000L), (events.RecordsKept, events.BytesCut));
        Assert.Equal(0, buffer.LastSeq(Events));
        Assert.Empty(context.SegmentFiles(Events));
        Assert.Equal(AppendResult.Stored, await buffer.AppendAsync(Metrics, 6, TestRecords.Payload(6), CancellationToken.None));
        Assert.Equal(AppendResult.Stored, await buffer.AppendAsync(Events, 1, TestRecords.Payload(1), CancellationToken.None));
    }

    [Fact]
    public async Task Open_GarbageAckFile_WatermarkResetAndReported()
    {
        await using var context = new BufferTestContext();
        var writer = context.Open();
        await BufferTestContext.AppendRangeAsync(writer, Events, 1, 3);
        writer.Acknowledge(Events, 3);
        await writer.DisposeAsync();
        await File.WriteAllTextAsync(Path.Combine(context.StreamDirectory(Events), "ack"), "not an ack file");

        var buffer = context.Open();

        var report = buffer.Recovery.For(Events);
        Assert.Equal(["ack"], report.FilesAffected);
        Assert.Contains(report.Problems, p => p.StartsWith("ack:", StringComparison.Ordinal));
        Assert.Equal(0, buffer.GetStatistics().For(Events).AcknowledgedSeq);
        Assert.Equal(BufferTestContext.Seqs(1, 3), BufferTestContext.DrainSeqs(buffer, Events));
    }

    [Fact]
    public async Task Open_MissingDirectory_CreatesItClean()
    {
        await using var context = new BufferTestContext();
        var root = Path.Combine(context.Root, "not", "there", "yet");

        await using var buffer = DurableBuffer.Open(context.Options(directory: root), context.Time, context.Log);

        Assert.True(buffer.Recovery.IsClean);
        Assert.True(Directory.Exists(Path.Combine(root, Metrics)));
        Assert.Equal(0, buffer.LastSeq(Metrics));
        Assert.Null(buffer.LastRecord(Metrics));
    }

    [Fact]
    public async Task Open_SeqDuplicatedOrGoingBackwards_SkippedAndReported()
    {
        await using var context = new BufferTestContext();
        var directory = context.StreamDirectory(Events);
        Directory.CreateDirectory(directory);
        await File.WriteAllBytesAsync(Path.Combine(directory, "00000000000000000001.seg"), Records(1, 2, 3));
        await File.WriteAllBytesAsync(Path.Combine(directory, "00000000000000000003.seg"), Records(3, 4, 2, 5));

        var buffer = context.Open();

        var report = buffer.Recovery.For(Events);
        Assert.Equal((5L, 2L, 0L), (report.RecordsKept, report.SkippedRecords, report.BytesCut));
        Assert.Empty(report.LostRanges);
        Assert.Equal(BufferTestContext.Seqs(1, 5), BufferTestContext.DrainSeqs(buffer, Events));
        Assert.Equal(TestRecords.Payload(5), buffer.LastRecord(Events));
    }

    [Fact]
    public async Task Open_SegmentFileMissingInTheMiddle_ReportsLostRange()
    {
        await using var context = new BufferTestContext();
        var writer = context.Open(context.Options(segmentBytes: 1024));
        await BufferTestContext.AppendRangeAsync(writer, Metrics, 1, 20);
        await writer.DisposeAsync();
        File.Delete(context.SegmentFiles(Metrics)[1]);

        var buffer = context.Open(context.Options(segmentBytes: 1024));

        Assert.Equal([new(9, 16)], buffer.Recovery.For(Metrics).LostRanges);
        Assert.Equal([.. BufferTestContext.Seqs(1, 8), .. BufferTestContext.Seqs(17, 20)], BufferTestContext.DrainSeqs(buffer, Metrics));
    }

    private static byte[] Records(params long[] seqs)
    {
        var bytes = new List<byte>();
        foreach (var seq in seqs)
        {
            var payload = TestRecords.Payload(seq);
            var header = new byte[RecordFormat.HeaderSize];
            RecordFormat.WriteHeader(header, seq, ManualTimeProvider.DefaultStart.ToUnixTimeMilliseconds(), payload);
            bytes.AddRange(header);
            bytes.AddRange(payload);
        }

        return [.. bytes];
    }
}
