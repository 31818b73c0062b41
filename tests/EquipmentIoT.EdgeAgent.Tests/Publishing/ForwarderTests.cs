using System.Runtime.Versioning;
using EquipmentIoT.EdgeAgent.Buffer;
using EquipmentIoT.EdgeAgent.Health;
using EquipmentIoT.EdgeAgent.Publishing;
using EquipmentIoT.EdgeAgent.Tests.Buffer;
using EquipmentIoT.EdgeAgent.Tests.Collection;
using EquipmentIoT.Protocols.Mqtt;
using EquipmentIoT.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace EquipmentIoT.EdgeAgent.Tests.Publishing;

/// <summary>
/// The forwarder over a real buffer and a transport the test drives: order per stream, acknowledgement
/// only after the broker's, a bounded window, and a rewind to the first unacknowledged batch once the
/// transport is back after a failed publish.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class ForwarderTests
{
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task RunAsync_BacklogInBothStreams_ForwardedInOrderPerStreamThenNewBatchesToo()
    {
        await using var context = new BufferTestContext();
        var buffer = context.Open();
        await BufferTestContext.AppendRangeAsync(buffer, BufferStreams.Events, 1, 12);
        await BufferTestContext.AppendRangeAsync(buffer, BufferStreams.Metrics, 1, 7);
        var transport = new FakeTransport();
        var counters = new AgentCounters();
        using var stop = new CancellationTokenSource();
        var run = Forwarder(buffer, transport, counters, window: 4).RunAsync(stop.Token);

        await WaitAcknowledgedAsync(buffer, BufferStreams.Events, 12);
        await WaitAcknowledgedAsync(buffer, BufferStreams.Metrics, 7);
        await BufferTestContext.AppendRangeAsync(buffer, BufferStreams.Events, 13, 15);
        await WaitAcknowledgedAsync(buffer, BufferStreams.Events, 15);

        Assert.Equal(BufferTestContext.Seqs(1, 15), transport.Seqs(BufferStreams.Events));
        Assert.Equal(BufferTestContext.Seqs(1, 7), transport.Seqs(BufferStreams.Metrics));
        Assert.All(transport.Publishes, p => Assert.Equal(TestRecords.Payload(p.Seq), p.Payload));
        Assert.Equal(22, counters.PublishedBatches);
        await stop.CancelAsync();
        await run.WaitAsync(WaitLimit);
    }

    [Fact]
    public async Task RunAsync_BrokerHasNotAcknowledged_BufferKeepsTheBatchUnacknowledged()
    {
        await using var context = new BufferTestContext();
        var buffer = context.Open();
        await BufferTestContext.AppendRangeAsync(buffer, BufferStreams.Events, 1, 3);
        var transport = new FakeTransport { AutoAcknowledge = false };
        var counters = new AgentCounters();
        using var stop = new CancellationTokenSource();
        var run = Forwarder(buffer, transport, counters, window: 4).RunAsync(stop.Token);

        await Wait.UntilAsync(() => transport.Publishes.Count == 3, WaitLimit, "three publishes");
        Assert.Equal(0, Stats(buffer).AcknowledgedSeq);
        Assert.Equal(3, Stats(buffer).UnacknowledgedBatches);

        // The broker acknowledges 2 before 1: recorded, but the watermark waits for 1.
        transport.Publishes[1].Ack();
        await Wait.UntilAsync(() => counters.PublishedBatches == 1, WaitLimit, "the acknowledgement of 2");
        Assert.Equal(0, Stats(buffer).AcknowledgedSeq);
        Assert.Equal(2, Stats(buffer).UnacknowledgedBatches);

        transport.Publishes[0].Ack();
        await WaitAcknowledgedAsync(buffer, BufferStreams.Events, 2);
        transport.Publishes[2].Ack();
        await WaitAcknowledgedAsync(buffer, BufferStreams.Events, 3);

        await stop.CancelAsync();
        await run.WaitAsync(WaitLimit);
    }

    [Fact]
    public async Task RunAsync_SlowBroker_AtMostWindowBatchesInFlight()
    {
        await using var context = new BufferTestContext();
        var buffer = context.Open();
        await BufferTestContext.AppendRangeAsync(buffer, BufferStreams.Events, 1, 10);
        var transport = new FakeTransport { AutoAcknowledge = false };
        using var stop = new CancellationTokenSource();
        var run = Forwarder(buffer, transport, new AgentCounters(), window: 3).RunAsync(stop.Token);

        await Wait.UntilAsync(() => transport.Publishes.Count == 3, WaitLimit, "a full window");
        Assert.Equal(3, transport.InFlight(BufferStreams.Events));
        for (var acked = 0; acked < 10; acked++)
        {
            var published = transport.Publishes.Count;
            transport.Publishes[acked].Ack();
            if (published < 10) await Wait.UntilAsync(() => transport.Publishes.Count == published + 1, WaitLimit, "the next batch into the window");
            Assert.InRange(transport.InFlight(BufferStreams.Events), 0, 3);
        }

        await WaitAcknowledgedAsync(buffer, BufferStreams.Events, 10);
        Assert.Equal(3, transport.MaxInFlight(BufferStreams.Events));
        Assert.Equal(BufferTestContext.Seqs(1, 10), transport.Seqs(BufferStreams.Events));
        await stop.CancelAsync();
        await run.WaitAsync(WaitLimit);
    }

    [Fact]
    public async Task RunAsync_PublishFails_ResendsFromFirstUnacknowledgedOnceConnectedAgain()
    {
        await using var context = new BufferTestContext();
        var buffer = context.Open();
        await BufferTestContext.AppendRangeAsync(buffer, BufferStreams.Events, 1, 6);
        var transport = new FakeTransport { AutoAcknowledge = false };
        var time = new FakeTimeProvider();
        using var stop = new CancellationTokenSource();
        var run = Forwarder(buffer, transport, new AgentCounters(), window: 3, time).RunAsync(stop.Token);
        await Wait.UntilAsync(() => transport.Publishes.Count == 3, WaitLimit, "1, 2, 3 in flight");
        transport.Publishes[0].Ack();
        await Wait.UntilAsync(() => transport.Publishes.Count == 4, WaitLimit, "4 in flight after 1 was acknowledged");

        // 3 is acknowledged (and 5 takes its place in the window), then the connection drops and 2 fails;
        // 4 and 5 are abandoned with the round.
        transport.Publishes[2].Ack();
        await Wait.UntilAsync(() => transport.Publishes.Count == 5, WaitLimit, "5 in flight after 3 was acknowledged");
        transport.RaiseDisconnected(new IOException("connection reset"));
        transport.Publishes[1].Fail(new MqttCommunicationException("connection lost"));
        await Wait.UntilAsync(() => time.TimersDueIn(TimeSpan.FromMilliseconds(100)) == 1, WaitLimit, "the pause after the failure");
        time.Advance(TimeSpan.FromMilliseconds(100));
        var beforeReconnect = transport.Publishes.Count;

        transport.AutoAcknowledge = true;
        transport.RaiseConnected();

        await WaitAcknowledgedAsync(buffer, BufferStreams.Events, 6);
        Assert.Equal([2, 4, 5, 6], transport.Publishes.Skip(beforeReconnect).Select(p => p.Seq));
        Assert.Equal(5, beforeReconnect);
        Assert.Empty(transport.RefusedWhileDisconnected);
        await stop.CancelAsync();
        await run.WaitAsync(WaitLimit);
    }

    [Fact]
    public async Task RunAsync_NotConnectedAtStart_ForwardsOnlyOnceConnected()
    {
        await using var context = new BufferTestContext();
        var buffer = context.Open();
        await BufferTestContext.AppendRangeAsync(buffer, BufferStreams.Metrics, 1, 4);
        var transport = new FakeTransport(connected: false);
        using var stop = new CancellationTokenSource();
        var run = Forwarder(buffer, transport, new AgentCounters(), window: 2).RunAsync(stop.Token);
        Assert.Empty(transport.Publishes);

        transport.RaiseConnected();

        await WaitAcknowledgedAsync(buffer, BufferStreams.Metrics, 4);
        Assert.Equal(BufferTestContext.Seqs(1, 4), transport.Seqs(BufferStreams.Metrics));
        Assert.Equal(0, transport.PublishesWhileDisconnected);
        await stop.CancelAsync();
        await run.WaitAsync(WaitLimit);
    }

    private static Forwarder Forwarder(DurableBuffer buffer, FakeTransport transport, AgentCounters counters, int window, TimeProvider? time = null) =>
        new(buffer, transport, counters, window, time ?? new FakeTimeProvider(), NullLogger<Forwarder>.Instance);

    private static StreamStatistics Stats(DurableBuffer buffer, string stream = BufferStreams.Events) => buffer.GetStatistics().For(stream);

    private static Task WaitAcknowledgedAsync(DurableBuffer buffer, string stream, long seq) =>
        Wait.UntilAsync(() => Stats(buffer, stream).AcknowledgedSeq == seq, WaitLimit, $"{stream} acknowledged up to {seq}");
}
