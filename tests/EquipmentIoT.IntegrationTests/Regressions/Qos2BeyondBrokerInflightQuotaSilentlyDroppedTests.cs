using System.Globalization;
using EquipmentIoT.IntegrationTests.Mqtt;
using EquipmentIoT.Protocols.Mqtt;
using EquipmentIoT.Protocols.Mqtt.Client;
using EquipmentIoT.Testing;

namespace EquipmentIoT.IntegrationTests.Regressions;

/// <summary>
/// MqttClientOptions.MaxInflight defaulted to 64 (and <c>eqiot-agent mqtt pub --max-inflight</c> to 64).
/// mosquitto counts QoS 2 messages it has received but not yet released against max_inflight_messages
/// (default 20) and, past it, answers PUBREC and drops the message ("Sending PUBREC … rc151", quota
/// exceeded). MQTT 3.1.1 has no way to tell the client, so the publisher got PUBCOMP for every message
/// while a third of them arrived: `mqtt pub -q 2 -l` of 1,000 lines delivered 337.
/// </summary>
public sealed class Qos2BeyondBrokerInflightQuotaSilentlyDroppedTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private const int Count = 1_000;

    [Fact]
    public async Task PublishAsync_Qos2StreamWithDefaultWindow_EveryMessageArrives()
    {
        await using var broker = await MosquittoBroker.StartAsync(); // mosquitto's defaults: max_inflight_messages 20
        var recorder = new SequenceRecorder(Count);
        await using var subscriber = await TestClients.StartSubscriberAsync(
            TestClients.For(broker, "quota-sub").Build(), recorder.Handler, "eqiot/regression/quota", MqttQualityOfService.ExactlyOnce);
        await using var publisher = new MqttClient(TestClients.For(broker, "quota-pub").Build());
        await publisher.ConnectAsync();

        await SequencePublisher.PublishAsync(publisher, "eqiot/regression/quota", Count, MqttQualityOfService.ExactlyOnce).WaitAsync(Timeout);
        await publisher.PublishAsync("eqiot/regression/quota", "end"u8.ToArray(), MqttQualityOfService.ExactlyOnce);
        await Wait.UntilAsync(() => recorder.Foreign == 1, Timeout, "the end marker");

        Assert.True(Count == recorder.Distinct, recorder.Describe());
        Assert.Equal(Count + 1, recorder.Total);
        Assert.DoesNotContain(broker.Log, line => line.Contains("rc151", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MqttPub_StdinLinesAtQos2WithDefaultWindow_MosquittoSubReceivesAll()
    {
        await using var broker = await MosquittoBroker.StartAsync();
        await using var mosquittoSub = await MosquittoClients.StartSubscriberAsync(broker, "eqiot/regression/quota", qos: 2, count: Count);
        var lines = Enumerable.Range(1, Count).Select(n => n.ToString("D4", CultureInfo.InvariantCulture)).ToArray();

        await using var agent = EqiotAgent.Start(
            ["mqtt", "pub", "-h", broker.Host, "-p", broker.Port.ToString(CultureInfo.InvariantCulture), "-t", "eqiot/regression/quota", "-q", "2", "-l"]);
        await agent.WriteStdinAsync(string.Join('\n', lines) + "\n");
        agent.CloseStdin();

        Assert.True(await agent.WaitForExitAsync(Timeout) == 0, $"eqiot-agent failed: {agent.StderrTail()}");
        Assert.Equal(0, await mosquittoSub.WaitForExitAsync(Timeout));
        Assert.Equal(lines, mosquittoSub.StdoutLines);
    }
}
