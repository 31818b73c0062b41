using System.Text;
using EquipmentIoT.Protocols.Mqtt;
using EquipmentIoT.Protocols.Mqtt.Client;
using EquipmentIoT.Testing;

namespace EquipmentIoT.IntegrationTests.Mqtt;

/// <summary>TLS to mosquitto's TLS listener with a generated CA; mutual TLS when the broker requires it.</summary>
public sealed class MqttTlsTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
    private static readonly MosquittoOptions MutualTls = new() { Tls = true, RequireClientCertificate = true };

    [Fact]
    public async Task ConnectAsync_ClientCertificateRequiredAndGiven_RoundTripOverTls()
    {
        await using var broker = await MosquittoBroker.StartAsync(MutualTls);
        using var clientCertificate = broker.Certificates!.ClientCertificateForSslStream();
        var received = new MessageRecorder();
        // The subscriber loads PEM files the way the field tool does; the publisher is given certificate objects.
        await using var subscriber = await TestClients.StartSubscriberAsync(
            TestClients.For(broker.Host, broker.TlsPort, "tls-sub").WithTls(broker.CaFile, broker.ClientCertFile, broker.ClientKeyFile).Build(),
            received.Handler, "eqiot/tls/#", MqttQualityOfService.ExactlyOnce);
        await using var publisher = new MqttClient(TestClients.For(broker.Host, broker.TlsPort, "tls-pub")
            .WithTls(new MqttTlsOptions { TrustedCertificates = [broker.Certificates.Ca], ClientCertificates = [clientCertificate] })
            .Build());
        await publisher.ConnectAsync();

        await publisher.PublishAsync("eqiot/tls/device-1", "sealed"u8.ToArray(), MqttQualityOfService.ExactlyOnce);
        await received.WaitForCountAsync(1, Timeout, "the message over TLS");

        var message = Assert.Single(received.Messages);
        Assert.Equal("sealed", Encoding.UTF8.GetString(message.Payload.Span));
        Assert.Equal(MqttQualityOfService.ExactlyOnce, message.QualityOfService);
    }

    [Fact]
    public async Task ConnectAsync_TrustingWrongCa_ThrowsNonTransientCertificateNotTrusted()
    {
        await using var broker = await MosquittoBroker.StartAsync(MutualTls);
        using var clientCertificate = broker.Certificates!.ClientCertificateForSslStream();
        await using var client = new MqttClient(TestClients.For(broker.Host, broker.TlsPort, "tls-wrong-ca")
            .WithTls(new MqttTlsOptions { TrustedCertificates = [broker.Certificates.WrongCa], ClientCertificates = [clientCertificate] })
            .Build());

        var error = await Assert.ThrowsAsync<MqttCommunicationException>(() => client.ConnectAsync());

        Assert.False(error.IsTransient, "trying again cannot make an untrusted certificate trusted");
        Assert.Contains("not trusted", error.Message, StringComparison.Ordinal);
        Assert.Null(error.ReturnCode);
        Assert.Equal(MqttClientState.Disconnected, client.State);
    }

    [Fact]
    public async Task ConnectAsync_NoClientCertificateWhenRequired_ThrowsSayingTheBrokerWantsOne()
    {
        await using var broker = await MosquittoBroker.StartAsync(MutualTls);
        await using var client = new MqttClient(TestClients.For(broker.Host, broker.TlsPort, "tls-no-cert")
            .WithTls(new MqttTlsOptions { TrustedCertificates = [broker.Certificates!.Ca] })
            .Build());

        var error = await Assert.ThrowsAsync<MqttCommunicationException>(() => client.ConnectAsync());

        Assert.Contains("client certificate", error.Message, StringComparison.Ordinal);
        Assert.Equal(MqttClientState.Disconnected, client.State);
        await broker.WaitForLogAsync(line => line.Contains("certificate", StringComparison.OrdinalIgnoreCase), Timeout,
            "the broker's side of the refused handshake");
    }
}
