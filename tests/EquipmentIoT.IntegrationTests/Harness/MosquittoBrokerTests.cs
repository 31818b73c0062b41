using System.Net.Security;
using System.Net.Sockets;
using EquipmentIoT.Testing;

namespace EquipmentIoT.IntegrationTests.Harness;

/// <summary>Proves the real-broker fixture itself: each test starts its own mosquitto, so they run in parallel.</summary>
public sealed class MosquittoBrokerTests
{
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task StartAsync_PlainBroker_SubscriberReceivesPublishedMessages()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var subscriber = await MosquittoClients.StartSubscriberAsync(broker, "eqiot/harness/plain", qos: 1, count: 2);

        await MosquittoClients.PublishAsync(broker, "eqiot/harness/plain", "first", qos: 1);
        await MosquittoClients.PublishAsync(broker, "eqiot/harness/plain", "second", qos: 1);

        Assert.Equal(0, await subscriber.WaitForExitAsync(ClientTimeout));
        Assert.Equal(["first", "second"], subscriber.StdoutLines);
    }

    [Fact]
    public async Task StartAsync_TlsRequiringClientCertificate_RoundTripsOverTlsPort()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { Tls = true, RequireClientCertificate = true });
        await using var subscriber = await MosquittoClients.StartSubscriberAsync(broker, "eqiot/harness/tls", qos: 1, useTls: true);

        await MosquittoClients.PublishAsync(broker, "eqiot/harness/tls", "over tls", qos: 1, useTls: true);

        Assert.Equal(0, await subscriber.WaitForExitAsync(ClientTimeout));
        Assert.Equal(["over tls"], subscriber.StdoutLines);
        Assert.Contains(broker.Log, line => line.EndsWith($" on port {broker.TlsPort}.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StartAsync_TlsClientCertificateFromWrongCa_ConnectionRejected()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { Tls = true, RequireClientCertificate = true });
        using var intruder = broker.Certificates!.IssueClientCertificate("intruder", signedByWrongCa: true);
        var certFile = Path.Combine(broker.Directory, "intruder.crt");
        var keyFile = Path.Combine(broker.Directory, "intruder.key");
        TestCertificates.WritePem(intruder, certFile, keyFile);

        await using var publisher = ChildProcess.Start(ExternalTool.MosquittoPub,
        [
            "-h", broker.Host, "-p", broker.TlsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--cafile", broker.CaFile, "--cert", certFile, "--key", keyFile, "-t", "eqiot/harness/tls", "-m", "x",
        ]);

        Assert.NotEqual(0, await publisher.WaitForExitAsync(ClientTimeout));
        await broker.WaitForLogAsync(
            line => line.Contains("certificate verify failed", StringComparison.Ordinal), ClientTimeout, "the TLS handshake failure");
    }

    [Fact]
    public async Task StartAsync_TlsRequiringClientCertificate_SslStreamWithPkcs12ClientCertificateGetsConnack()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { Tls = true, RequireClientCertificate = true });
        using var clientCertificate = broker.Certificates!.ClientCertificateForSslStream();
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(broker.Host, broker.TlsPort);
        await using var tls = new SslStream(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = broker.Host, // the server certificate carries SAN IP 127.0.0.1
            ClientCertificates = [clientCertificate],
            CertificateChainPolicy = broker.Certificates.CreateTrustPolicy(),
        });

        // MQTT 3.1.1 CONNECT (§3.1), client id "eqiot-ssl": fixed header, protocol name "MQTT",
        // level 4, flags 0x02 (clean session), keep-alive 60, then the length-prefixed client id.
        byte[] connect = [0x10, 0x15, 0x00, 0x04, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 0x04, 0x02, 0x00, 0x3C,
            0x00, 0x09, .. "eqiot-ssl"u8];
        await tls.WriteAsync(connect);
        var connack = new byte[4];
        await tls.ReadExactlyAsync(connack).AsTask().WaitAsync(ClientTimeout);

        // CONNACK (§3.2): type 2, remaining length 2, no session present, return code 0 (accepted).
        Assert.Equal(new byte[] { 0x20, 0x02, 0x00, 0x00 }, connack);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RestartAsync_AfterStop_AcceptsOnSamePort(bool graceful)
    {
        await using var broker = await MosquittoBroker.StartAsync();

        var exitCode = await broker.StopAsync(graceful);
        Assert.False(broker.IsRunning);
        Assert.Equal(graceful, exitCode == 0); // SIGKILL shows as 128 + 9
        await broker.RestartAsync();

        await using var subscriber = await MosquittoClients.StartSubscriberAsync(broker, "eqiot/harness/restart");
        await MosquittoClients.PublishAsync(broker, "eqiot/harness/restart", "after restart");
        Assert.Equal(0, await subscriber.WaitForExitAsync(ClientTimeout));
        Assert.Equal(["after restart"], subscriber.StdoutLines);
        Assert.Equal(2, broker.Log.Count(line => line.Contains($"listen socket on port {broker.Port}.", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task RestartAsync_WithPersistence_RetainedMessageSurvives()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { Persistence = true });
        await MosquittoClients.PublishAsync(broker, "eqiot/harness/retained", "kept", qos: 1, extraArgs: ["-r"]);

        await broker.RestartAsync(); // graceful stop saves mosquitto.db

        Assert.True(File.Exists(Path.Combine(broker.Directory, "mosquitto.db")));
        await using var subscriber = await MosquittoClients.StartSubscriberAsync(broker, "eqiot/harness/retained", qos: 1);
        Assert.Equal(0, await subscriber.WaitForExitAsync(ClientTimeout));
        Assert.Equal(["kept"], subscriber.StdoutLines);
    }

    [Fact]
    public async Task StartAsync_UsersWithoutAnonymous_AcceptsOnlyKnownCredentials()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions
        {
            AllowAnonymous = false,
            Users = new Dictionary<string, string> { ["device-1"] = "s3cret" },
        });

        await MosquittoClients.PublishAsync(broker, "eqiot/harness/auth", "ok", extraArgs: ["-u", "device-1", "-P", "s3cret"]);
        var anonymous = await Assert.ThrowsAsync<InvalidOperationException>(
            () => MosquittoClients.PublishAsync(broker, "eqiot/harness/auth", "anonymous"));
        var wrongPassword = await Assert.ThrowsAsync<InvalidOperationException>(
            () => MosquittoClients.PublishAsync(broker, "eqiot/harness/auth", "bad", extraArgs: ["-u", "device-1", "-P", "wrong"]));

        Assert.Contains("not authorised", anonymous.Message, StringComparison.Ordinal);
        Assert.Contains("not authorised", wrongPassword.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Require_MissingExecutable_ThrowsNamingDebianPackage()
    {
        var ex = Assert.Throws<InvalidOperationException>(
            () => ExternalTool.Require("eqiot-no-such-tool", "eqiot-no-such-package"));

        Assert.Equal(
            "'eqiot-no-such-tool' not found: install the Debian package 'eqiot-no-such-package' (./eqiot test installs it when run as root)",
            ex.Message);
    }

    [Fact]
    public void Require_KnownTools_ReturnsExistingPaths()
    {
        Assert.Equal("/usr/sbin/mosquitto", ExternalTool.Mosquitto);
        Assert.True(File.Exists(ExternalTool.MosquittoPub));
        Assert.True(File.Exists(ExternalTool.MosquittoSub));
        Assert.Equal("/usr/bin/python3", ExternalTool.DebianPython);
    }
}
