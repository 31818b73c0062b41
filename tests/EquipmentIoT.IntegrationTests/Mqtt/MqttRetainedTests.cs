using System.Text;
using EquipmentIoT.Protocols.Mqtt;
using EquipmentIoT.Protocols.Mqtt.Client;
using EquipmentIoT.Testing;

namespace EquipmentIoT.IntegrationTests.Mqtt;

/// <summary>Retained messages (3.3.1.3) through our client and a real mosquitto.</summary>
public sealed class MqttRetainedTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private const string Topic = "eqiot/retained/device-1/status";

    [Fact]
    public async Task PublishAsync_Retained_NewSubscriberGetsItWithRetainFlag()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        var live = new MessageRecorder();
        await using var liveSubscriber = await TestClients.StartSubscriberAsync(
            TestClients.For(broker, "retained-live").Build(), live.Handler, "eqiot/retained/#", MqttQualityOfService.AtLeastOnce);
        await using var publisher = new MqttClient(TestClients.For(broker, "retained-pub").Build());
        await publisher.ConnectAsync();

        await publisher.PublishAsync(Topic, "online"u8.ToArray(), MqttQualityOfService.AtLeastOnce, retain: true);
        var late = new MessageRecorder();
        await using var lateSubscriber = await TestClients.StartSubscriberAsync(
            TestClients.For(broker, "retained-late").Build(), late.Handler, "eqiot/retained/#", MqttQualityOfService.AtLeastOnce);
        await late.WaitForCountAsync(1, Timeout, "the retained message at the new subscriber");
        await live.WaitForCountAsync(1, Timeout, "the message at the subscriber that was already there");

        var stored = Assert.Single(late.Messages);
        Assert.Equal(Topic, stored.Topic);
        Assert.Equal("online", Encoding.UTF8.GetString(stored.Payload.Span));
        Assert.True(stored.Retain, "a retained message sent because of a new subscription has RETAIN 1 (3.3.1-9)");
        Assert.Equal(MqttQualityOfService.AtLeastOnce, stored.QualityOfService);
        // 3.3.1-9 also: a message matching an established subscription goes out with RETAIN 0.
        Assert.False(Assert.Single(live.Messages).Retain);
    }

    [Fact]
    public async Task PublishAsync_EmptyRetainedPayload_ClearsRetainedMessage()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var publisher = new MqttClient(TestClients.For(broker, "clear-pub").Build());
        await publisher.ConnectAsync();
        await publisher.PublishAsync(Topic, "online"u8.ToArray(), MqttQualityOfService.AtLeastOnce, retain: true);

        await publisher.PublishAsync(Topic, ReadOnlyMemory<byte>.Empty, MqttQualityOfService.AtLeastOnce, retain: true); // 3.3.1-10
        var received = new MessageRecorder();
        await using var subscriber = await TestClients.StartSubscriberAsync(
            TestClients.For(broker, "clear-sub").Build(), received.Handler, "eqiot/retained/#", MqttQualityOfService.AtLeastOnce);
        // A marker after SUBACK: a retained message would have been queued to the subscriber before it (4.6).
        await publisher.PublishAsync(Topic, "marker"u8.ToArray(), MqttQualityOfService.AtLeastOnce);
        await received.WaitForCountAsync(1, Timeout, "the marker");

        var only = Assert.Single(received.Messages);
        Assert.Equal("marker", Encoding.UTF8.GetString(only.Payload.Span));
        Assert.False(only.Retain);
    }
}
