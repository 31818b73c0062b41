using System.Security.Cryptography;
using EquipmentIoT.Protocols.Mqtt;
using EquipmentIoT.Protocols.Mqtt.Client;
using EquipmentIoT.Testing;

namespace EquipmentIoT.IntegrationTests.Mqtt;

/// <summary>Our publisher to our subscriber through a real mosquitto, at each QoS (4.3).</summary>
public sealed class MqttRoundTripTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData(MqttQualityOfService.AtMostOnce, MqttQualityOfService.ExactlyOnce, MqttQualityOfService.AtMostOnce)]
    [InlineData(MqttQualityOfService.AtLeastOnce, MqttQualityOfService.ExactlyOnce, MqttQualityOfService.AtLeastOnce)]
    [InlineData(MqttQualityOfService.ExactlyOnce, MqttQualityOfService.ExactlyOnce, MqttQualityOfService.ExactlyOnce)]
    [InlineData(MqttQualityOfService.ExactlyOnce, MqttQualityOfService.AtLeastOnce, MqttQualityOfService.AtLeastOnce)] // 3.8.4: min(published, granted)
    public async Task PublishAsync_Qos_SubscriberReceivesSameTopicPayloadAndQos(
        MqttQualityOfService published, MqttQualityOfService subscribed, MqttQualityOfService delivered)
    {
        await using var broker = await MosquittoBroker.StartAsync();
        var received = new MessageRecorder();
        await using var subscriber = await TestClients.StartSubscriberAsync(
            TestClients.For(broker, "rt-sub").Build(), received.Handler, "eqiot/rt/#", subscribed);
        await using var publisher = new MqttClient(TestClients.For(broker, "rt-pub").Build());
        await publisher.ConnectAsync();
        // Every byte value that matters to a framing bug: NUL, 0x7F/0x80 (remaining-length continuation), 0xFF, newline.
        byte[] payload = [0x00, 0x7F, 0x80, 0xFF, 0x0A, .. "21.5 degC"u8];

        await publisher.PublishAsync("eqiot/rt/device-1/temperature", payload, published);
        await received.WaitForCountAsync(1, Timeout, "the round trip");

        var message = Assert.Single(received.Messages);
        Assert.Equal("eqiot/rt/device-1/temperature", message.Topic);
        Assert.Equal(payload, message.Payload.ToArray());
        Assert.Equal(delivered, message.QualityOfService);
        Assert.False(message.Retain);
        Assert.False(message.Dup);
        Assert.Equal(published == MqttQualityOfService.AtMostOnce ? 0 : 1, publisher.GetStatistics().Acknowledged);
        Assert.Equal(0, publisher.GetStatistics().InFlight);
    }

    [Fact]
    public async Task PublishAsync_OneMegabytePayload_ArrivesIntact()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        var received = new MessageRecorder();
        await using var subscriber = await TestClients.StartSubscriberAsync(
            TestClients.For(broker, "big-sub").Build(), received.Handler, "eqiot/rt/big", MqttQualityOfService.AtLeastOnce);
        await using var publisher = new MqttClient(TestClients.For(broker, "big-pub").Build());
        await publisher.ConnectAsync();
        var payload = RandomNumberGenerator.GetBytes(1024 * 1024); // spans many 16 KiB pipe segments on both sides

        await publisher.PublishAsync("eqiot/rt/big", payload, MqttQualityOfService.AtLeastOnce);
        await received.WaitForCountAsync(1, Timeout, "the 1 MiB message");

        Assert.Equal(payload, Assert.Single(received.Messages).Payload.ToArray());
    }
}
