using System.Diagnostics;
using System.Text;
using EquipmentIoT.Protocols.Mqtt;
using EquipmentIoT.Protocols.Mqtt.Client;
using EquipmentIoT.Testing;
using Xunit.Abstractions;

namespace EquipmentIoT.IntegrationTests.Mqtt;

/// <summary>
/// Faults between client and a broker that stays up, injected with <see cref="TcpCutProxy"/>: connections
/// reset in the middle of QoS 1 and QoS 2 streams (redelivery with DUP, 4.4), and a connection that
/// silently stops carrying anything (keep-alive, 3.1.2.10).
/// </summary>
public sealed class MqttFaultInjectionTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private const int Count = 10_000;
    private const int Cuts = 3;
    private const string Topic = "eqiot/fault/data";

    [Theory]
    [InlineData(MqttQualityOfService.AtLeastOnce)]
    [InlineData(MqttQualityOfService.ExactlyOnce)]
    public async Task PublishAsync_PublisherConnectionCutMidStream_EveryMessageArrives(MqttQualityOfService qos)
    {
        // Debug logging shows the DUP flag of every PUBLISH the broker receives ("Received PUBLISH from x (d1, q1, …").
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { ExtraConfigLines = ["log_type debug"] });
        await using var proxy = TcpCutProxy.Start(broker.Host, broker.Port);
        var recorder = new SequenceRecorder(Count);
        await using var subscriber = await TestClients.StartSubscriberAsync(
            TestClients.For(broker, "fault-sub").Build(), recorder.Handler, Topic, qos);
        // A persistent session: the broker must remember the QoS 2 packet ids it has PUBREC'd across our reconnect (4.3.3).
        await using var publisher = new MqttClient(TestClients.For(proxy.Host, proxy.Port, "fault-pub")
            .WithCleanSession(false).WithReconnect(true, TestClients.FastRetry(seed: 3)).Build());
        var events = new ClientEventLog(publisher);
        await publisher.ConnectAsync();
        var clock = Stopwatch.StartNew();

        var publishing = SequencePublisher.PublishAsync(publisher, Topic, Count, qos);
        for (var cut = 1; cut <= Cuts; cut++)
        {
            var threshold = Count * cut / (Cuts + 1);
            await Wait.UntilAsync(() => publisher.GetStatistics().Acknowledged >= threshold, Timeout, $"{threshold} acknowledgements");
            Assert.Equal(1, proxy.CutAll());
        }

        await publishing.WaitAsync(Timeout);
        await publisher.PublishAsync(Topic, "end"u8.ToArray(), qos);
        await Wait.UntilAsync(() => recorder.Foreign == 1, Timeout, "the end marker behind the stream");

        var stats = publisher.GetStatistics();
        var dupsAtBroker = broker.Log.Count(line => line.Contains("Received PUBLISH from fault-pub (d1", StringComparison.Ordinal));
        output.WriteLine($"QoS {(int)qos}, {Count} messages, {Cuts} cuts, {clock.Elapsed.TotalSeconds:0.00} s; {recorder.Describe()}");
        output.WriteLine($"publisher: {stats}; PUBLISH with DUP seen by the broker: {dupsAtBroker}; " +
            $"proxy connections: {proxy.AcceptedConnections}");
        Assert.Equal(Count, recorder.Distinct);
        // Redelivery keeps the original order (4.6): at QoS 1 the stream may step back once per cut to
        // resend the window; at QoS 2 the broker releases each message once, on our PUBREL, in order.
        Assert.InRange(recorder.OutOfOrder, 0, qos == MqttQualityOfService.AtLeastOnce ? Cuts : 0);
        Assert.True(stats.Reconnects >= Cuts, $"reconnects: {stats.Reconnects}");
        Assert.Equal(Cuts, events.Reconnects.Count);
        Assert.True(stats.Redelivered > 0, "messages in flight at the cuts were sent again");
        Assert.True(dupsAtBroker > 0, "the broker saw PUBLISH packets with DUP = 1 (3.3.1.1)");
        Assert.Equal(Count + 1, stats.Acknowledged);
        Assert.Equal(0, stats.InFlight);
        if (qos == MqttQualityOfService.ExactlyOnce)
        {
            Assert.Equal(0, recorder.Duplicates);
            Assert.Equal(Count + 1, recorder.Total);
        }
    }

    [Theory]
    [InlineData(MqttQualityOfService.AtLeastOnce)]
    [InlineData(MqttQualityOfService.ExactlyOnce)]
    public async Task MessageReceived_SubscriberConnectionCutMidStream_EveryMessageArrives(MqttQualityOfService qos)
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var proxy = TcpCutProxy.Start(broker.Host, broker.Port);
        var recorder = new SequenceRecorder(Count);
        // Persistent session: the broker keeps what it has not delivered, and resends unacknowledged PUBLISH/PUBREL (4.4).
        await using var subscriber = await TestClients.StartSubscriberAsync(
            TestClients.For(proxy.Host, proxy.Port, "cut-sub").WithCleanSession(false).WithReconnect(true, TestClients.FastRetry(seed: 5)).Build(),
            recorder.Handler, Topic, qos);
        var events = new ClientEventLog(subscriber);
        await using var publisher = new MqttClient(TestClients.For(broker, "cut-pub").Build());
        await publisher.ConnectAsync();
        var clock = Stopwatch.StartNew();

        var publishing = SequencePublisher.PublishAsync(publisher, Topic, Count, qos);
        for (var cut = 1; cut <= Cuts; cut++)
        {
            var threshold = Count * cut / (Cuts + 1);
            // The subscriber may still be reconnecting from the last cut when the messages it had reach the threshold.
            await Wait.UntilAsync(() => recorder.Total >= threshold && proxy.OpenConnections == 1, Timeout,
                $"{threshold} messages at the subscriber, and its connection up");
            Assert.Equal(1, proxy.CutAll());
        }

        await publishing.WaitAsync(Timeout);
        await publisher.PublishAsync(Topic, "end"u8.ToArray(), qos);
        await Wait.UntilAsync(() => recorder.Foreign == 1, Timeout, "the end marker behind the stream");

        var stats = subscriber.GetStatistics();
        output.WriteLine($"QoS {(int)qos}, {Count} messages, {Cuts} subscriber cuts, {clock.Elapsed.TotalSeconds:0.00} s; {recorder.Describe()}");
        output.WriteLine($"subscriber: {stats}");
        Assert.Equal(Count, recorder.Distinct);
        Assert.Equal(Cuts, events.Reconnects.Count);
        Assert.All(events.Reconnects, e => Assert.True(e.SessionPresent));
        if (qos == MqttQualityOfService.ExactlyOnce)
        {
            Assert.Equal(0, recorder.Duplicates);
            Assert.Equal(0, recorder.OutOfOrder);
        }
    }

    [Fact]
    public async Task KeepAlive_ConnectionBlackHoled_DeclaredDeadReconnectsAndDeliversHeldMessage()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var proxy = TcpCutProxy.Start(broker.Host, broker.Port);
        var received = new MessageRecorder();
        await using var subscriber = await TestClients.StartSubscriberAsync(
            TestClients.For(broker, "hole-sub").Build(), received.Handler, "eqiot/fault/#", MqttQualityOfService.AtLeastOnce);
        await using var publisher = new MqttClient(TestClients.For(proxy.Host, proxy.Port, "hole-pub")
            .WithKeepAlive(TimeSpan.FromSeconds(1))
            .WithReconnect(true, TestClients.FastRetry(seed: 4))
            .With(o => o with { PingTimeout = TimeSpan.FromSeconds(1) })
            .Build());
        var events = new ClientEventLog(publisher);
        await publisher.ConnectAsync();

        Assert.Equal(1, proxy.BlackHoleAll());
        var clock = Stopwatch.StartNew();
        var held = publisher.PublishAsync("eqiot/fault/hole", "held"u8.ToArray(), MqttQualityOfService.AtLeastOnce).AsTask();
        await Wait.UntilAsync(() => events.Disconnected.Count > 0, TimeSpan.FromSeconds(15), "keep-alive to declare the connection dead");
        var detected = clock.Elapsed;
        await held.WaitAsync(TimeSpan.FromSeconds(15));
        await received.WaitForCountAsync(1, Timeout, "the message published into the black hole");

        output.WriteLine($"dead connection detected after {detected.TotalSeconds:0.00} s (keep-alive 1 s, ping timeout 1 s); " +
            $"reason: {events.Disconnected[0].Reason?.Message}");
        var lost = Assert.Single(events.Disconnected);
        Assert.True(lost.WillReconnect);
        var reason = Assert.IsType<MqttCommunicationException>(lost.Reason);
        Assert.Contains("PINGREQ", reason.Message, StringComparison.Ordinal);
        Assert.True(reason.IsTransient);
        Assert.Single(events.Reconnects);
        Assert.Equal(1, events.Redelivered);
        Assert.Equal(2, proxy.AcceptedConnections);
        Assert.Equal("held", Encoding.UTF8.GetString(Assert.Single(received.Messages).Payload.Span));
    }
}
