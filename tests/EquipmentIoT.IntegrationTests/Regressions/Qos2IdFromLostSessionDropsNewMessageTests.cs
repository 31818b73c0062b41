using System.Collections.Concurrent;
using System.Text;
using EquipmentIoT.IntegrationTests.Mqtt;
using EquipmentIoT.Protocols.Mqtt;
using EquipmentIoT.Protocols.Mqtt.Client;
using EquipmentIoT.Testing;

namespace EquipmentIoT.IntegrationTests.Regressions;

/// <summary>
/// MqttClient receive path, QoS 2 with a clean session (3.1.2.4): the packet ids awaiting PUBREL are
/// forgotten when a reconnect finds no session, but a message from the old connection whose handler was
/// still running added its id afterwards. No PUBREL ever comes for it in the new session, so the next
/// new message the broker sends with that id was taken for a redelivery: answered, never handled.
/// </summary>
public sealed class Qos2IdFromLostSessionDropsNewMessageTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task MessageReceived_CleanSessionReconnectWhileHandlerRuns_NextMessageWithSameIdHandled()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { ExtraConfigLines = ["log_type debug"] });
        await using var proxy = TcpCutProxy.Start(broker.Host, broker.Port);
        var handled = new ConcurrentQueue<string>();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var subscriber = await TestClients.StartSubscriberAsync(
            TestClients.For(proxy.Host, proxy.Port, "clean-sub").WithReconnect(true, TestClients.FastRetry(seed: 7)).Build(),
            async (message, _) =>
            {
                var text = Encoding.UTF8.GetString(message.Payload.Span);
                handled.Enqueue(text);
                if (text == "first")
                {
                    entered.TrySetResult();
                    await release.Task; // still busy when the connection goes
                }
            },
            "eqiot/regression/#", MqttQualityOfService.ExactlyOnce);
        var events = new ClientEventLog(subscriber);
        await using var publisher = new MqttClient(TestClients.For(broker, "clean-pub").Build());
        await publisher.ConnectAsync();

        await publisher.PublishAsync("eqiot/regression/qos2", "first"u8.ToArray(), MqttQualityOfService.ExactlyOnce);
        await entered.Task.WaitAsync(Timeout);
        Assert.Equal(1, proxy.CutAll());
        await Wait.UntilAsync(() => events.Reconnects.Count == 1, Timeout, "the subscriber to reconnect and subscribe again");
        release.SetResult();
        await Wait.UntilAsync(() => subscriber.GetStatistics().Received == 1, Timeout, "the first handler to finish");
        await publisher.PublishAsync("eqiot/regression/qos2", "second"u8.ToArray(), MqttQualityOfService.ExactlyOnce);
        await publisher.PublishAsync("eqiot/regression/qos2", "third"u8.ToArray(), MqttQualityOfService.ExactlyOnce);
        await Wait.UntilAsync(() => handled.Contains("third"), Timeout, "the third message");

        Assert.False(Assert.Single(events.Reconnects).SessionPresent);
        var firstId = MessageId(broker, "first", 0);
        var secondId = MessageId(broker, "second", 1);
        Assert.True(firstId == secondId, $"the new session reused the packet id (first m{firstId}, second m{secondId})");
        Assert.Equal(["first", "second", "third"], handled);
    }

    /// <summary>The packet id of the <paramref name="index"/>-th QoS 2 PUBLISH the broker sent to clean-sub.</summary>
    private static string MessageId(MosquittoBroker broker, string what, int index)
    {
        var line = broker.Log.Where(l => l.Contains("Sending PUBLISH to clean-sub (d0, q2", StringComparison.Ordinal)).ElementAtOrDefault(index)
            ?? throw new InvalidOperationException($"no PUBLISH of '{what}' to clean-sub in the broker log");
        var at = line.IndexOf(", m", StringComparison.Ordinal) + 3;
        return line[at..line.IndexOf(',', at)];
    }
}
