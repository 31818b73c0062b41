using EquipmentIoT.Protocols.Mqtt;
using EquipmentIoT.Protocols.Mqtt.Client;

namespace EquipmentIoT.Protocols.Tests.Mqtt.Client;

public class MqttClientOptionsBuilderTests
{
    [Fact]
    public void Build_Defaults_AreUsable()
    {
        var o = new MqttClientOptionsBuilder().Build();
        Assert.Equal("127.0.0.1", o.Host);
        Assert.Equal(1883, o.Port);
        Assert.True(o.CleanSession);
        Assert.True(o.AutoReconnect);
        Assert.Equal(20, o.MaxInflight); // mosquitto drops QoS 2 messages beyond its max_inflight_messages (20)
    }

    [Fact]
    public void WithTls_NoExplicitPort_Uses8883()
    {
        var o = new MqttClientOptionsBuilder().WithBroker("broker.local").WithTls(new MqttTlsOptions()).Build();
        Assert.Equal(8883, o.Port);
    }

    [Fact]
    public void WithTls_ExplicitPort_KeepsIt()
    {
        var o = new MqttClientOptionsBuilder().WithBroker("broker.local", 9000).WithTls(new MqttTlsOptions()).Build();
        Assert.Equal(9000, o.Port);
    }

    [Theory]
    [InlineData("persistent session without client id")]
    [InlineData("password without user name")]
    [InlineData("will topic with wildcard")]
    [InlineData("keep-alive above 65535 s")]
    [InlineData("in-flight window of zero")]
    [InlineData("port zero")]
    public void Build_InvalidSetting_ThrowsNamingIt(string what)
    {
        var b = new MqttClientOptionsBuilder();
        switch (what)
        {
            case "persistent session without client id": b.WithCleanSession(false); break;
            case "password without user name": b.With(o => o with { Password = "secret" }); break;
            case "will topic with wildcard": b.WithWill(new MqttWill("eq/+/state", Array.Empty<byte>(), MqttQualityOfService.AtLeastOnce, true)); break;
            case "keep-alive above 65535 s": b.WithKeepAlive(TimeSpan.FromSeconds(70_000)); break;
            case "in-flight window of zero": b.WithMaxInflight(0); break;
            case "port zero": b.WithBroker("127.0.0.1", 0); break;
        }
        var ex = Assert.Throws<ArgumentException>(() => b.Build());
        Assert.False(string.IsNullOrWhiteSpace(ex.Message));
    }

    [Fact]
    public async Task PublishAsync_WildcardTopic_ThrowsBeforeAnythingIsSent()
    {
        await using var client = new MqttClient(new MqttClientOptionsBuilder().Build());
        await Assert.ThrowsAsync<ArgumentException>(async () => await client.PublishAsync("eq/#", new byte[1]));
    }

    [Fact]
    public async Task PublishAsync_NeverConnected_ThrowsNotConnected()
    {
        await using var client = new MqttClient(new MqttClientOptionsBuilder().Build());
        var ex = await Assert.ThrowsAsync<MqttCommunicationException>(async () =>
            await client.PublishAsync("eq/v1/a/telemetry", new byte[1], MqttQualityOfService.AtLeastOnce));
        Assert.False(ex.IsTransient);
    }

    [Fact]
    public async Task ConnectAsync_NothingListening_FailsTransientWithAddress()
    {
        // A port nobody listens on: take a free one from the OS and close it again.
        int port;
        using (var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        }
        await using var client = new MqttClient(new MqttClientOptionsBuilder().WithBroker("127.0.0.1", port).Build());
        var ex = await Assert.ThrowsAsync<MqttCommunicationException>(() => client.ConnectAsync());
        Assert.True(ex.IsTransient);
        Assert.Contains($"127.0.0.1:{port}", ex.Message, StringComparison.Ordinal);
        Assert.Equal(MqttClientState.Disconnected, client.State);
    }
}
