using System.Text;
using EquipmentIoT.Protocols.Mqtt;
using EquipmentIoT.Protocols.Mqtt.Client;
using EquipmentIoT.Testing;

namespace EquipmentIoT.IntegrationTests.Mqtt;

/// <summary>User name and password (3.1.3.4, 3.1.3.5) against mosquitto's password file.</summary>
public sealed class MqttAuthenticationTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private static readonly MosquittoOptions PasswordsOnly = new()
    {
        AllowAnonymous = false,
        Users = new Dictionary<string, string> { ["device-1"] = "s3cret-ü" },
    };

    [Fact]
    public async Task ConnectAsync_RightCredentials_ConnectsAndRoundTrips()
    {
        await using var broker = await MosquittoBroker.StartAsync(PasswordsOnly);
        var received = new MessageRecorder();
        await using var client = await TestClients.StartSubscriberAsync(
            TestClients.For(broker, "auth-ok").WithCredentials("device-1", "s3cret-ü").Build(),
            received.Handler, "eqiot/auth/#", MqttQualityOfService.AtLeastOnce);

        await client.PublishAsync("eqiot/auth/echo", "hello"u8.ToArray(), MqttQualityOfService.AtLeastOnce);
        await received.WaitForCountAsync(1, Timeout, "our own message");

        Assert.Equal(MqttClientState.Connected, client.State);
        Assert.Equal("hello", Encoding.UTF8.GetString(Assert.Single(received.Messages).Payload.Span));
    }

    [Theory]
    [InlineData("device-1", "wrong")]
    [InlineData("device-1", "")]
    [InlineData("nobody", "s3cret-ü")]
    [InlineData(null, null)]
    public async Task ConnectAsync_WrongOrMissingCredentials_ThrowsRefusalWithReturnCode(string? user, string? password)
    {
        await using var broker = await MosquittoBroker.StartAsync(PasswordsOnly);
        var options = TestClients.For(broker, "auth-bad");
        if (user is not null) options.WithCredentials(user, password);
        await using var client = new MqttClient(options.Build());

        var error = await Assert.ThrowsAsync<MqttCommunicationException>(() => client.ConnectAsync());

        Assert.Contains(error.ReturnCode, new MqttConnectReturnCode?[] { MqttConnectReturnCode.NotAuthorized, MqttConnectReturnCode.BadUserNameOrPassword });
        Assert.False(error.IsTransient, "bad credentials stay bad");
        Assert.Contains("refused", error.Message, StringComparison.Ordinal);
        Assert.Equal(MqttClientState.Disconnected, client.State);
    }
}
