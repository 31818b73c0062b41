using System.Globalization;
using EquipmentIoT.IntegrationTests.Mqtt;
using EquipmentIoT.Protocols.Mqtt;
using EquipmentIoT.Protocols.Mqtt.Client;
using EquipmentIoT.Testing;

namespace EquipmentIoT.IntegrationTests.Regressions;

/// <summary>
/// MqttTransport said "the broker's certificate (…) is not signed by the configured CA: UntrustedRoot"
/// when validating against a custom CA, but "is not trusted by the system store" otherwise: the words an
/// engineer (and a log search) looks for, "not trusted", were missing in the commissioning case.
/// </summary>
public sealed class UntrustedBrokerCertificateNotCalledUntrustedTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ConnectAsync_CustomCaThatDidNotSignTheBroker_MessageSaysNotTrustedAndNamesBothSides()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { Tls = true });
        await using var client = new MqttClient(TestClients.For(broker.Host, broker.TlsPort, "untrusted")
            .WithTls(caFile: broker.CertificateFiles!.WrongCaFile).Build());

        var error = await Assert.ThrowsAsync<MqttCommunicationException>(() => client.ConnectAsync());

        Assert.False(error.IsTransient);
        Assert.Contains("is not trusted", error.Message, StringComparison.Ordinal);
        Assert.Contains("CN=localhost", error.Message, StringComparison.Ordinal); // the broker's certificate
        Assert.Contains("issued by CN=EquipmentIoT Test CA", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MqttSub_WrongCaFile_OneErrorLineSaysNotTrustedExit1()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { Tls = true });

        await using var agent = EqiotAgent.Start(
        [
            "mqtt", "sub", "-h", broker.Host, "-p", broker.TlsPort.ToString(CultureInfo.InvariantCulture),
            "--cafile", broker.CertificateFiles!.WrongCaFile, "-t", "eqiot/regression/#", "-C", "1",
        ]);

        Assert.Equal(1, await agent.WaitForExitAsync(Timeout));
        var error = Assert.Single(agent.StderrLines);
        Assert.StartsWith("Error: TLS handshake with ", error, StringComparison.Ordinal);
        Assert.Contains("not trusted", error, StringComparison.Ordinal);
        Assert.Empty(agent.StdoutLines);
    }
}
