using System.Diagnostics;
using EquipmentIoT.Protocols.Mqtt;
using EquipmentIoT.Protocols.Mqtt.Client;
using EquipmentIoT.Testing;
using Xunit.Abstractions;

namespace EquipmentIoT.IntegrationTests.Mqtt;

/// <summary>
/// The broker goes away in the middle of a QoS 1 stream (SIGTERM, so mosquitto saves sessions and queues)
/// and comes back on the same port: both clients reconnect by themselves and nothing is lost.
/// </summary>
public sealed class MqttBrokerRestartTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task PublishAsync_BrokerRestartedMidStream_ClientsReconnectAndEverySequenceNumberArrives()
    {
        const int Count = 20_000;
        const string Topic = "eqiot/restart/data";
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { Persistence = true });
        var recorder = new SequenceRecorder(Count);
        await using var subscriber = await TestClients.StartSubscriberAsync(
            TestClients.For(broker, "restart-sub").WithCleanSession(false).WithReconnect(true, TestClients.FastRetry(seed: 1)).Build(),
            recorder.Handler, Topic, MqttQualityOfService.AtLeastOnce);
        var subscriberEvents = new ClientEventLog(subscriber);
        await using var publisher = new MqttClient(TestClients.For(broker, "restart-pub").WithReconnect(true, TestClients.FastRetry(seed: 2)).Build());
        var publisherEvents = new ClientEventLog(publisher);
        await publisher.ConnectAsync();
        var clock = Stopwatch.StartNew();

        var publishing = SequencePublisher.PublishAsync(publisher, Topic, Count, MqttQualityOfService.AtLeastOnce);
        await Wait.UntilAsync(() => publisher.GetStatistics().Acknowledged >= Count / 3, Timeout, "a third of the stream acknowledged");
        Assert.Equal(0, await broker.StopAsync(graceful: true));
        var stoppedAt = clock.Elapsed;
        await Wait.UntilAsync(() => publisherEvents.Reconnecting.Count > 0, Timeout, "the publisher to start reconnecting");
        await broker.RestartAsync();
        await publishing.WaitAsync(Timeout);
        await recorder.WaitForAllAsync(Timeout);
        await publisher.PublishAsync(Topic, "end"u8.ToArray(), MqttQualityOfService.AtLeastOnce);
        await Wait.UntilAsync(() => recorder.Foreign == 1, Timeout, "the end marker");

        var publisherStats = publisher.GetStatistics();
        output.WriteLine($"{Count} QoS 1 messages, broker stopped at {stoppedAt.TotalSeconds:0.00} s after " +
            $"{Count / 3}+ acknowledgements, all in after {clock.Elapsed.TotalSeconds:0.00} s; {recorder.Describe()}");
        output.WriteLine($"publisher: {publisherStats}; reconnect attempts {publisherEvents.Reconnecting.Count}, " +
            $"redelivered on reconnect {publisherEvents.Redelivered}");
        output.WriteLine($"subscriber: {subscriber.GetStatistics()}; reconnects {subscriberEvents.Reconnects.Count}");
        Assert.Equal(Count, recorder.Distinct);
        Assert.Equal(1, recorder.Foreign);
        Assert.True(publisherEvents.Reconnecting.Count >= 1);
        Assert.NotEmpty(publisherEvents.Reconnects);
        Assert.True(publisherStats.Reconnects >= 1, $"publisher reconnects: {publisherStats.Reconnects}");
        Assert.Equal(Count + 1, publisherStats.Acknowledged);
        Assert.Equal(0, publisherStats.InFlight);
        Assert.True(subscriber.GetStatistics().Reconnects >= 1);
        Assert.All(subscriberEvents.Reconnects, e => Assert.True(e.SessionPresent, "mosquitto restored the subscriber's session"));
    }
}
