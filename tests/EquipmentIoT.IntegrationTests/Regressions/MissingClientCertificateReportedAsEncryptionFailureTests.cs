using System.Globalization;
using EquipmentIoT.IntegrationTests.Mqtt;
using EquipmentIoT.Testing;

namespace EquipmentIoT.IntegrationTests.Regressions;

/// <summary>
/// MqttTransport hints "(does the broker require a client certificate?)" when the TLS handshake fails
/// without one, but with TLS 1.3 the client's side of the handshake completes before the broker checks
/// for a certificate: the broker's refusal arrived as the first write or read failing, and the engineer
/// read "Error: sending to the broker failed: The encryption operation failed, see inner exception."
/// </summary>
public sealed class MissingClientCertificateReportedAsEncryptionFailureTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task MqttPub_NoClientCertificateWhenBrokerRequiresOne_ErrorLineAsksAboutClientCertificate()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { Tls = true, RequireClientCertificate = true });

        await using var agent = EqiotAgent.Start(
        [
            "mqtt", "pub", "-h", broker.Host, "-p", broker.TlsPort.ToString(CultureInfo.InvariantCulture), "--cafile", broker.CaFile,
            "-t", "eqiot/regression/tls", "-m", "x",
        ]);

        Assert.Equal(1, await agent.WaitForExitAsync(Timeout));
        var error = Assert.Single(agent.StderrLines);
        Assert.StartsWith("Error: ", error, StringComparison.Ordinal);
        Assert.Contains("does the broker require a client certificate?", error, StringComparison.Ordinal);
        await broker.WaitForLogAsync(line => line.Contains("peer did not return a certificate", StringComparison.Ordinal), Timeout,
            "the broker's reason");
    }
}
