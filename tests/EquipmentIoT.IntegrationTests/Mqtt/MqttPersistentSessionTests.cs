using EquipmentIoT.Protocols.Mqtt;
using EquipmentIoT.Protocols.Mqtt.Client;
using EquipmentIoT.Testing;

namespace EquipmentIoT.IntegrationTests.Mqtt;

/// <summary>Persistent sessions (3.1.2.4): subscriptions and QoS 1/2 messages kept while the client is away.</summary>
public sealed class MqttPersistentSessionTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private const string Topic = "eqiot/session/device-1/data";

    [Theory]
    [InlineData(MqttQualityOfService.AtLeastOnce)]
    [InlineData(MqttQualityOfService.ExactlyOnce)]
    public async Task ConnectAsync_SameIdAfterAbsence_SessionPresentAndMessagesPublishedMeanwhileDelivered(MqttQualityOfService qos)
    {
        const int Count = 500;
        await using var broker = await MosquittoBroker.StartAsync();
        var options = TestClients.For(broker, "session-sub").WithCleanSession(false).Build();
        await using (var first = new MqttClient(options))
        {
            Assert.False(await first.ConnectAsync(), "a new client id has no session yet");
            Assert.Equal((int)qos, (int)await first.SubscribeAsync("eqiot/session/#", qos));
            await first.DisconnectAsync();
        }

        await using (var publisher = new MqttClient(TestClients.For(broker, "session-pub").Build()))
        {
            await publisher.ConnectAsync();
            await SequencePublisher.PublishAsync(publisher, Topic, Count, qos).WaitAsync(Timeout);
            await publisher.PublishAsync(Topic, "end"u8.ToArray(), qos);
        }

        var recorder = new SequenceRecorder(Count);
        await using var second = new MqttClient(options) { MessageReceived = recorder.Handler };
        var events = new ClientEventLog(second);
        var sessionPresent = await second.ConnectAsync();
        await Wait.UntilAsync(() => recorder.Foreign == 1, Timeout, "the queued messages and the end marker");

        Assert.True(sessionPresent, "CONNACK session present (3.2.2.2)");
        Assert.True(Assert.Single(events.Connected).SessionPresent);
        Assert.Equal(Count, recorder.Distinct);
        Assert.Equal(0, recorder.Duplicates);
        Assert.Equal(0, recorder.OutOfOrder);
    }
}
