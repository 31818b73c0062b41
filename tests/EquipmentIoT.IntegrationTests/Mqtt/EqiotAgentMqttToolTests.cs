using System.Globalization;
using EquipmentIoT.Testing;

namespace EquipmentIoT.IntegrationTests.Mqtt;

/// <summary>
/// The field tool as an engineer runs it: the built <c>eqiot-agent mqtt pub|sub</c> against a real
/// mosquitto, with mosquitto_pub / mosquitto_sub on the other end.
/// </summary>
public sealed class EqiotAgentMqttToolTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task MqttPub_ThousandStdinLinesAtQos1_MosquittoSubReceivesAllInOrder()
    {
        const int Count = 1_000;
        await using var broker = await MosquittoBroker.StartAsync();
        await using var mosquittoSub = await MosquittoClients.StartSubscriberAsync(broker, "eqiot/cli/lines", qos: 1, count: Count);
        var lines = Enumerable.Range(1, Count).Select(n => $"line {n:D4}: 温度={n % 40}.5").ToArray();

        await using var agent = EqiotAgent.Start(["mqtt", "pub", .. Connection(broker), "-t", "eqiot/cli/lines", "-q", "1", "-l"]);
        await agent.WriteStdinAsync(string.Join('\n', lines) + "\n");
        agent.CloseStdin();

        Assert.True(await agent.WaitForExitAsync(Timeout) == 0, $"eqiot-agent failed: {agent.StderrTail()}");
        Assert.Equal(0, await mosquittoSub.WaitForExitAsync(Timeout));
        Assert.Equal(lines, mosquittoSub.StdoutLines);
    }

    [Fact]
    public async Task MqttSub_CountThreeVerbose_PrintsExactlyThreeTopicPayloadLinesAndExits()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var agent = EqiotAgent.Start(
            ["mqtt", "sub", .. Connection(broker), "-i", "cli-sub", "-t", "eqiot/cli/#", "-q", "1", "-C", "3", "-v"]);
        await broker.WaitForLogAsync(line => line.Contains(": cli-sub 1 eqiot/cli/#", StringComparison.Ordinal), Timeout,
            "eqiot-agent's subscription");

        await MosquittoClients.PublishAsync(broker, "eqiot/cli/a", "one", qos: 1);
        await MosquittoClients.PublishAsync(broker, "eqiot/cli/b", "two words", qos: 1);
        await MosquittoClients.PublishAsync(broker, "eqiot/cli/设备", "三", qos: 1);
        await MosquittoClients.PublishAsync(broker, "eqiot/cli/d", "fourth, not printed", qos: 1);

        Assert.True(await agent.WaitForExitAsync(Timeout) == 0, $"eqiot-agent failed: {agent.StderrTail()}");
        Assert.Equal(["eqiot/cli/a one", "eqiot/cli/b two words", "eqiot/cli/设备 三"], agent.StdoutLines);
    }

    [Fact]
    public async Task MqttPub_TlsWithCaCertAndKey_MosquittoSubReceives()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { Tls = true, RequireClientCertificate = true });
        await using var mosquittoSub = await MosquittoClients.StartSubscriberAsync(broker, "eqiot/cli/tls", qos: 1, useTls: true);

        await using var agent = EqiotAgent.Start(
        [
            "mqtt", "pub", "-h", broker.Host, "-p", Text(broker.TlsPort), "--cafile", broker.CaFile,
            "--cert", broker.ClientCertFile, "--key", broker.ClientKeyFile, "-t", "eqiot/cli/tls", "-q", "1", "-m", "over mutual tls",
        ]);

        Assert.True(await agent.WaitForExitAsync(Timeout) == 0, $"eqiot-agent failed: {agent.StderrTail()}");
        Assert.Equal(0, await mosquittoSub.WaitForExitAsync(Timeout));
        Assert.Equal(["over mutual tls"], mosquittoSub.StdoutLines);
    }

    [Fact]
    public async Task MqttSub_TlsWithCaCertAndKey_PrintsWhatMosquittoPubSends()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { Tls = true, RequireClientCertificate = true });
        await using var agent = EqiotAgent.Start(
        [
            "mqtt", "sub", "-h", broker.Host, "-p", Text(broker.TlsPort), "--cafile", broker.CaFile,
            "--cert", broker.ClientCertFile, "--key", broker.ClientKeyFile, "-i", "cli-tls-sub", "-t", "eqiot/cli/tls", "-q", "2", "-C", "1",
        ]);
        await broker.WaitForLogAsync(line => line.Contains(": cli-tls-sub 2 eqiot/cli/tls", StringComparison.Ordinal), Timeout,
            "eqiot-agent's subscription over TLS");

        await MosquittoClients.PublishAsync(broker, "eqiot/cli/tls", "sealed", qos: 2, useTls: true);

        Assert.True(await agent.WaitForExitAsync(Timeout) == 0, $"eqiot-agent failed: {agent.StderrTail()}");
        Assert.Equal(["sealed"], agent.StdoutLines);
    }

    [Fact]
    public async Task MqttPub_WrongCa_PrintsOneNotTrustedErrorLineAndExitsWith1()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { Tls = true, RequireClientCertificate = true });

        await using var agent = EqiotAgent.Start(
        [
            "mqtt", "pub", "-h", broker.Host, "-p", Text(broker.TlsPort), "--cafile", broker.CertificateFiles!.WrongCaFile,
            "--cert", broker.ClientCertFile, "--key", broker.ClientKeyFile, "-t", "eqiot/cli/tls", "-m", "x",
        ]);

        Assert.Equal(1, await agent.WaitForExitAsync(Timeout));
        var error = Assert.Single(agent.StderrLines);
        Assert.StartsWith("Error: ", error, StringComparison.Ordinal);
        Assert.Contains("not trusted", error, StringComparison.Ordinal);
        Assert.Empty(agent.StdoutLines);
    }

    private static string[] Connection(MosquittoBroker broker) => ["-h", broker.Host, "-p", Text(broker.Port)];

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
