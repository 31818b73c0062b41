using System.Runtime.Versioning;
using EquipmentIoT.EdgeAgent.Buffer;

namespace EquipmentIoT.EdgeAgent.Tests.Buffer;

[SupportedOSPlatform("linux")]
public class DurableBufferConcurrencyTests
{
    private const string Metrics = BufferStreams.Metrics;
    private const string Events = BufferStreams.Events;

    [Fact]
    public async Task AppendReadAcknowledge_ConcurrentWithEvictionAndRetention_EveryRecordOnceInOrder()
    {
        // 1 KiB segments in a 16 KiB buffer: the producers only keep going because acknowledged segments
        // are evicted under them while the forwarder reads, and resend reads hit segments being deleted.
        await using var context = new BufferTestContext();
        var buffer = context.Open(context.Options(segmentBytes: 1024, maxBytes: 16 * 1024, reserve: 2048));
        const int Count = 1500;
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));

        async Task Produce(string stream)
        {
            for (var seq = 1; seq <= Count; seq++)
            {
                while (await buffer.AppendAsync(stream, seq, TestRecords.Payload(seq), stop.Token) == AppendResult.Refused)
                {
                    // Full of unsent data: wait for the forwarder to acknowledge something.
                    await Task.Yield();
                }
            }
        }

        async Task<List<long>> Forward(string stream)
        {
            var seen = new List<long>(Count);
            while (seen.Count < Count)
            {
                var record = await buffer.ReadNextUnsentAsync(stream, stop.Token);
                Assert.Equal(TestRecords.Payload(record.Seq), record.Payload.ToArray());
                seen.Add(record.Seq);
                buffer.Acknowledge(stream, record.Seq);
            }

            return seen;
        }

        async Task Resend()
        {
            var random = new Random(7);
            while (!stop.IsCancellationRequested && buffer.GetStatistics().For(Metrics).AcknowledgedSeq < Count)
            {
                var from = random.Next(1, Count);
                var range = await buffer.ReadRangeAsync(Metrics, from, from + 20, stop.Token);
                Assert.All(range.Records, r => Assert.Equal(TestRecords.Payload(r.Seq), r.Payload.ToArray()));
                Assert.Equal(21, range.Records.Count + range.Unavailable.Sum(u => u.Count));
                buffer.RunMaintenance();
                context.Time.Advance(TimeSpan.FromHours(1));
            }
        }

        var forwardMetrics = Task.Run(() => Forward(Metrics));
        var forwardEvents = Task.Run(() => Forward(Events));
        await Task.WhenAll(Task.Run(() => Produce(Metrics)), Task.Run(() => Produce(Events)), Task.Run(Resend));

        Assert.Equal(BufferTestContext.Seqs(1, Count), await forwardMetrics);
        Assert.Equal(BufferTestContext.Seqs(1, Count), await forwardEvents);
        var stats = buffer.GetStatistics();
        Assert.True(stats.EvictedAcknowledgedBatches + stats.ExpiredAcknowledgedBatches > 0);
        Assert.Equal(0, stats.CorruptRecordsSkipped);
        Assert.Equal(Count, buffer.LastSeq(Metrics));
        Assert.Equal(TestRecords.Payload(Count), buffer.LastRecord(Events));
    }
}
