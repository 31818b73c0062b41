using System.Globalization;
using System.Text;
using EquipmentIoT.Protocols.Mqtt;
using EquipmentIoT.Protocols.Mqtt.Client;
using EquipmentIoT.Testing;

namespace EquipmentIoT.IntegrationTests.Mqtt;

/// <summary>The last will (3.1.2.5): published when the connection ends without DISCONNECT, and only then.</summary>
public sealed class MqttWillTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private const string WillTopic = "eqiot/will/device-1/status";

    [Fact]
    public async Task Will_OwnerProcessKilled_SubscriberReceivesWill()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        var received = new MessageRecorder();
        await using var subscriber = await TestClients.StartSubscriberAsync(
            TestClients.For(broker, "will-watcher").Build(), received.Handler, "eqiot/will/#", MqttQualityOfService.AtLeastOnce);
        // The will owner is a real process (our field tool, so our CONNECT encoding of the will), killed with SIGKILL:
        // the kernel closes its socket and no DISCONNECT is ever sent.
        await using var owner = EqiotAgent.Start(
        [
            "mqtt", "sub", "-h", broker.Host, "-p", broker.Port.ToString(CultureInfo.InvariantCulture), "-i", "will-owner",
            "-t", "eqiot/will/device-1/command", "--will-topic", WillTopic, "--will-payload", "offline", "--will-qos", "1",
        ]);
        await broker.WaitForLogAsync(line => line.Contains(": will-owner 0 eqiot/will/device-1/command", StringComparison.Ordinal),
            Timeout, "the will owner's subscription (its CONNECT, with the will, came before)");

        owner.Kill(Signal.Kill);
        await received.WaitForCountAsync(1, Timeout, "the will");

        var will = Assert.Single(received.Messages);
        Assert.Equal(WillTopic, will.Topic);
        Assert.Equal("offline", Encoding.UTF8.GetString(will.Payload.Span));
        Assert.Equal(MqttQualityOfService.AtLeastOnce, will.QualityOfService);
        Assert.DoesNotContain(broker.Log, line => line.Contains("Client will-owner disconnected.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Will_OwnerConnectionReset_SubscriberReceivesWill()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var proxy = TcpCutProxy.Start(broker.Host, broker.Port);
        var received = new MessageRecorder();
        await using var subscriber = await TestClients.StartSubscriberAsync(
            TestClients.For(broker, "will-watcher").Build(), received.Handler, "eqiot/will/#", MqttQualityOfService.AtLeastOnce);
        await using var owner = new MqttClient(TestClients.For(proxy.Host, proxy.Port, "will-owner")
            .WithWill(new MqttWill(WillTopic, "lost"u8.ToArray(), MqttQualityOfService.ExactlyOnce, Retain: false))
            .WithReconnect(false)
            .Build());
        await owner.ConnectAsync();

        Assert.Equal(1, proxy.CutAll());
        await received.WaitForCountAsync(1, Timeout, "the will");

        var will = Assert.Single(received.Messages);
        Assert.Equal(WillTopic, will.Topic);
        Assert.Equal("lost", Encoding.UTF8.GetString(will.Payload.Span));
        Assert.Equal(MqttQualityOfService.AtLeastOnce, will.QualityOfService); // will QoS 2, subscription QoS 1
    }

    [Fact]
    public async Task DisconnectAsync_OwnerWithWill_WillNotPublished()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        var received = new MessageRecorder();
        await using var subscriber = await TestClients.StartSubscriberAsync(
            TestClients.For(broker, "will-watcher").Build(), received.Handler, "eqiot/will/#", MqttQualityOfService.AtLeastOnce);
        await using var owner = new MqttClient(TestClients.For(broker, "will-owner")
            .WithWill(new MqttWill(WillTopic, "offline"u8.ToArray(), MqttQualityOfService.AtLeastOnce, Retain: false))
            .Build());
        await owner.ConnectAsync();

        await owner.DisconnectAsync();
        await broker.WaitForLogAsync(line => line.Contains("Client will-owner disconnected.", StringComparison.Ordinal), Timeout,
            "the broker to process our DISCONNECT");
        // Anything the broker published for the owner's going away was queued to the watcher before this marker (4.6).
        await using var marker = new MqttClient(TestClients.For(broker, "marker-pub").Build());
        await marker.ConnectAsync();
        await marker.PublishAsync(WillTopic, "marker"u8.ToArray(), MqttQualityOfService.AtLeastOnce);
        await received.WaitForCountAsync(1, Timeout, "the marker");

        Assert.Equal("marker", Encoding.UTF8.GetString(Assert.Single(received.Messages).Payload.Span));
        Assert.Equal(MqttClientState.Disconnected, owner.State);
    }
}
