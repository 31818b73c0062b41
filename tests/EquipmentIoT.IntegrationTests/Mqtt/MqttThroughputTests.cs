using System.Diagnostics;
using EquipmentIoT.Protocols.Mqtt;
using EquipmentIoT.Protocols.Mqtt.Client;
using EquipmentIoT.Testing;
using Xunit.Abstractions;

namespace EquipmentIoT.IntegrationTests.Mqtt;

/// <summary>A long QoS 1 stream with many publishes outstanding: nothing lost, nothing reordered (4.6).</summary>
public sealed class MqttThroughputTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task PublishAsync_100kQos1WithFullWindow_AllArriveInOrderOnce()
    {
        const int Count = 100_000;
        // Wider than the default (20): mosquitto caps only QoS 2 in flight, and 256 outstanding ids over
        // 100,000 messages make the packet-id table wrap past 65535 with ids still in use (2.3.1).
        const int Window = 256;
        const string Topic = "eqiot/throughput/data";
        await using var broker = await MosquittoBroker.StartAsync();
        var recorder = new SequenceRecorder(Count);
        await using var subscriber = await TestClients.StartSubscriberAsync(
            TestClients.For(broker, "throughput-sub").Build(), recorder.Handler, Topic, MqttQualityOfService.AtLeastOnce);
        await using var publisher = new MqttClient(TestClients.For(broker, "throughput-pub").WithMaxInflight(Window).Build());
        await publisher.ConnectAsync();
        var clock = Stopwatch.StartNew();

        await SequencePublisher.PublishAsync(publisher, Topic, Count, MqttQualityOfService.AtLeastOnce).WaitAsync(Timeout);
        var published = clock.Elapsed;
        await recorder.WaitForAllAsync(Timeout);
        // A marker behind the stream: once it is in, any duplicate queued before it would be in too (4.6).
        await publisher.PublishAsync(Topic, "end"u8.ToArray(), MqttQualityOfService.AtLeastOnce);
        await Wait.UntilAsync(() => recorder.Foreign == 1, Timeout, "the end marker");
        var received = clock.Elapsed;

        output.WriteLine($"{Count} QoS 1 messages, window {Window}: all acknowledged after {published.TotalSeconds:0.00} s " +
            $"({Count / published.TotalSeconds:0} msg/s), all received after {received.TotalSeconds:0.00} s; {recorder.Describe()}");
        Assert.Equal(Count, recorder.Distinct);
        Assert.Equal(0, recorder.Duplicates);
        Assert.Equal(0, recorder.OutOfOrder);
        var stats = publisher.GetStatistics();
        Assert.Equal(Count + 1, stats.Published);
        Assert.Equal(Count + 1, stats.Acknowledged);
        Assert.Equal(0, stats.Redelivered);
        Assert.Equal(0, stats.InFlight);
        Assert.Equal(Count + 1, subscriber.GetStatistics().Received);
    }
}
