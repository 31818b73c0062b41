using System.Collections.Concurrent;
using System.Text;
using EquipmentIoT.IntegrationTests.Mqtt;
using EquipmentIoT.Protocols.Mqtt;
using EquipmentIoT.Protocols.Mqtt.Client;
using EquipmentIoT.Testing;

namespace EquipmentIoT.IntegrationTests.Regressions;

/// <summary>
/// MqttClient receive path, QoS 2 (4.3.3): the packet id of a received PUBLISH is remembered (so that a
/// redelivered copy is answered with PUBREC but not handled again) only after the handler returns. If
/// the connection drops while the handler runs, the broker resends the PUBLISH with DUP on the new
/// connection; the receive loop checks the id before the first copy's handler has finished, finds
/// nothing, and queues the copy: the application handled one QoS 2 message twice.
/// </summary>
public sealed class Qos2RedeliveryWhileHandlerRunsIsHandledTwiceTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task MessageReceived_ConnectionLostWhileHandlerRuns_MessageHandledOnce()
    {
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { ExtraConfigLines = ["log_type debug"] });
        await using var proxy = TcpCutProxy.Start(broker.Host, broker.Port);
        var handled = new ConcurrentQueue<string>();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var subscriber = await TestClients.StartSubscriberAsync(
            TestClients.For(proxy.Host, proxy.Port, "slow-sub").WithCleanSession(false).WithReconnect(true, TestClients.FastRetry(seed: 6)).Build(),
            async (message, _) =>
            {
                handled.Enqueue(Encoding.UTF8.GetString(message.Payload.Span));
                entered.TrySetResult();
                await release.Task; // a handler still busy (storing the message, say) when the network blips
            },
            "eqiot/regression/#", MqttQualityOfService.ExactlyOnce);
        var events = new ClientEventLog(subscriber);
        await using var publisher = new MqttClient(TestClients.For(broker, "slow-pub").Build());
        await publisher.ConnectAsync();

        await publisher.PublishAsync("eqiot/regression/qos2", "once"u8.ToArray(), MqttQualityOfService.ExactlyOnce);
        await entered.Task.WaitAsync(Timeout);
        Assert.Equal(1, proxy.CutAll());
        await Wait.UntilAsync(() => events.Reconnects.Count == 1, Timeout, "the subscriber to reconnect");
        await broker.WaitForLogAsync(line => line.Contains("Sending PUBLISH to slow-sub (d1, q2", StringComparison.Ordinal), Timeout,
            "the broker to resend the unacknowledged PUBLISH with DUP");
        // The copy reaches the receive loop (and, before the fix, its queue) while the first handler still runs.
        release.SetResult();
        await broker.WaitForLogAsync(line => line.Contains("Received PUBCOMP from slow-sub", StringComparison.Ordinal), Timeout,
            "the subscriber's QoS 2 flow to complete on the new connection");
        // A marker behind it: anything queued for the handler before the marker has been handled once the marker is.
        await publisher.PublishAsync("eqiot/regression/qos2", "marker"u8.ToArray(), MqttQualityOfService.ExactlyOnce);
        await Wait.UntilAsync(() => handled.Contains("marker"), Timeout, "the marker");

        Assert.Equal(["once", "marker"], handled);
    }
}
