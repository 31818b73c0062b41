using System.Text;
using EquipmentIoT.Protocols.Mqtt;
using EquipmentIoT.Protocols.Mqtt.Client;
using EquipmentIoT.Testing;

namespace EquipmentIoT.Protocols.Tests.Mqtt.Client;

/// <summary>
/// <see cref="MqttClientOptions.MaxPendingAcknowledgements"/>: handlers called in arrival order without
/// waiting, PUBACKs in arrival order (MQTT 3.1.1 §4.6), against a real mosquitto whose debug log shows
/// every PUBLISH it sent and every PUBACK it received.
/// </summary>
public sealed class MqttClientPipelinedAcknowledgementTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private const string Topic = "eqiot/pipeline/data";

    [Fact]
    public void Build_MaxPendingAcknowledgements_DefaultsToOneAndRefusesOutOfRange()
    {
        Assert.Equal(1, new MqttClientOptionsBuilder().Build().MaxPendingAcknowledgements);
        Assert.Equal(65_535, new MqttClientOptionsBuilder().WithMaxPendingAcknowledgements(65_535).Build().MaxPendingAcknowledgements);
        Assert.Contains("MaxPendingAcknowledgements", Assert.Throws<ArgumentException>(() => new MqttClientOptionsBuilder().WithMaxPendingAcknowledgements(0).Build()).Message, StringComparison.Ordinal);
        Assert.Contains("MaxPendingAcknowledgements", Assert.Throws<ArgumentException>(() => new MqttClientOptionsBuilder().WithMaxPendingAcknowledgements(65_536).Build()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MessageReceived_HandlersCompleteOutOfOrder_PubAcksSentInArrivalOrder()
    {
        const int Count = 640, Window = 64;
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { ExtraConfigLines = BrokerFlow.DebugLogging });
        var handlers = new HeldHandlers();
        var options = Subscriber(broker, "pipelined-sub", Window);
        await using (var subscriber = new MqttClient(options) { MessageReceived = handlers.Handler })
        {
            var failures = 0;
            subscriber.MessageHandlerFailed += (_, _) => Interlocked.Increment(ref failures);
            await subscriber.ConnectAsync();
            await subscriber.SubscribeAsync("eqiot/pipeline/#", MqttQualityOfService.AtLeastOnce);
            await using var publisher = await PublisherAsync(broker);
            var publishing = PublishSequenceAsync(publisher, Count);

            var random = new Random(20261122);
            for (var released = 0; released < Count; released += Window)
            {
                await handlers.WaitForHeldAsync(Window, Timeout); // the window is full: 64 tasks pending at once
                handlers.CompleteAllShuffled(random);
            }

            await publishing.WaitAsync(Timeout);
            await broker.WaitForLogAsync(_ => AcksOf(broker, "pipelined-sub") >= Count, Timeout, $"{Count} PUBACKs from the subscriber");
            Assert.Equal(0, failures);
            await subscriber.DisconnectAsync();
        }

        Assert.Equal(Enumerable.Range(0, Count).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)), handlers.Calls.Select(c => c.Payload));
        Assert.Equal(Window, handlers.MaxOutstanding);
        var flow = Assert.Single(BrokerFlow.Connections(broker.Log, "pipelined-sub"));
        Assert.Equal(Count, flow.Published.Count);
        Assert.Equal(flow.Published, flow.Acknowledged);
        Assert.Empty(await RedeliveredAfterReconnectAsync(broker, options));
    }

    [Fact]
    public async Task MessageReceived_HandlerFails_ItAndEveryLaterMessageRedeliveredNoneOfThemAcknowledged()
    {
        const int Count = 40, Failing = 10;
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { ExtraConfigLines = BrokerFlow.DebugLogging });
        var handlers = new HeldHandlers();
        var options = Subscriber(broker, "failing-sub", 64);
        await using var subscriber = new MqttClient(options) { MessageReceived = handlers.Handler };
        var failures = new List<Exception>();
        subscriber.MessageHandlerFailed += (_, e) =>
        {
            lock (failures) failures.Add(e);
        };
        await subscriber.ConnectAsync();
        await subscriber.SubscribeAsync("eqiot/pipeline/#", MqttQualityOfService.AtLeastOnce);
        await using var publisher = await PublisherAsync(broker);
        await PublishSequenceAsync(publisher, Count).WaitAsync(Timeout);

        await handlers.WaitForHeldAsync(Count, Timeout); // all 40 pipelined on the first connection
        handlers.CompleteAllShuffled(new Random(7), fail: payload => payload == "10");
        // The broker sends 10..39 again on the next connection (and perhaps some of 0..9, whose PUBACKs may not
        // have left the socket before it was dropped); release redeliveries until every one of 10..39 is handled twice.
        await Wait.UntilAsync(() =>
        {
            handlers.CompleteAllShuffled(new Random(8));
            var calls = handlers.Calls;
            return Enumerable.Range(Failing, Count - Failing).All(n => calls.Count(c => c.Payload == n.ToString(System.Globalization.CultureInfo.InvariantCulture)) >= 2);
        }, Timeout, "messages 10..39 redelivered and handled again");
        await Wait.UntilAsync(() =>
        {
            handlers.CompleteAllShuffled(new Random(9));
            var last = BrokerFlow.Connections(broker.Log, "failing-sub")[^1];
            return last.Acknowledged.Count == last.Published.Count;
        }, Timeout, "every redelivered message acknowledged");
        await subscriber.DisconnectAsync();

        Assert.Single(failures);
        Assert.All(handlers.Calls.Skip(Count), c => Assert.True(c.Dup, $"redelivered {c.Payload} carries DUP"));
        var connections = BrokerFlow.Connections(broker.Log, "failing-sub");
        Assert.True(connections.Count >= 2, "the subscriber reconnected after the failure");
        var first = connections[0];
        Assert.Equal(Count, first.Published.Count);
        // On the failing connection, only messages before the failed one may have been acknowledged, in order.
        Assert.Equal(first.Published.Take(first.Acknowledged.Count), first.Acknowledged);
        Assert.True(first.Acknowledged.Count <= Failing, $"{first.Acknowledged.Count} PUBACKs on the failing connection; at most {Failing} allowed");
        Assert.Empty(await RedeliveredAfterReconnectAsync(broker, options));
    }

    [Fact]
    public async Task MessageReceived_ConnectionLostWhileHandlersPending_OldTasksAcknowledgeNothingOnTheNewConnection()
    {
        const int Count = 30;
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { ExtraConfigLines = BrokerFlow.DebugLogging });
        await using var proxy = TcpCutProxy.Start(broker.Host, broker.Port);
        var handlers = new HeldHandlers();
        var options = new MqttClientOptionsBuilder().WithBroker(proxy.Host, proxy.Port).WithClientId("cut-sub").WithCleanSession(false)
            .WithMaxPendingAcknowledgements(64).WithReconnect(true, FastRetry()).Build();
        await using var subscriber = new MqttClient(options) { MessageReceived = handlers.Handler };
        var reconnected = 0;
        subscriber.Connected += (_, e) =>
        {
            if (e.IsReconnect) Interlocked.Increment(ref reconnected);
        };
        await subscriber.ConnectAsync();
        await subscriber.SubscribeAsync("eqiot/pipeline/#", MqttQualityOfService.AtLeastOnce);
        await using var publisher = await PublisherAsync(broker);
        await PublishSequenceAsync(publisher, Count).WaitAsync(Timeout);
        await handlers.WaitForHeldAsync(Count, Timeout);

        Assert.Equal(1, proxy.CutAll());
        await Wait.UntilAsync(() => Volatile.Read(ref reconnected) == 1, Timeout, "the subscriber to reconnect");
        await handlers.WaitForHeldAsync(2 * Count, Timeout); // the broker redelivered all 30 behind the 30 old tasks
        handlers.CompleteAllShuffled(new Random(3)); // old and new tasks together: only the new ones may be acknowledged
        await broker.WaitForLogAsync(_ => AcksOf(broker, "cut-sub") >= Count, Timeout, "the redelivered messages acknowledged");
        await subscriber.DisconnectAsync();

        var connections = BrokerFlow.Connections(broker.Log, "cut-sub");
        Assert.Equal(2, connections.Count);
        Assert.Empty(connections[0].Acknowledged);
        Assert.Equal(Count, connections[1].Published.Count);
        Assert.Equal(connections[1].Published, connections[1].Acknowledged);
    }

    [Fact]
    public async Task DisposeAsync_HandlersPending_CompletesAndAcknowledgesNothing()
    {
        const int Count = 20;
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions { ExtraConfigLines = BrokerFlow.DebugLogging });
        var options = Subscriber(broker, "dispose-sub", 64);
        var calls = 0;
        var failures = 0;
        var subscriber = new MqttClient(options)
        {
            MessageReceived = async (_, ct) =>
            {
                Interlocked.Increment(ref calls);
                await Task.Delay(System.Threading.Timeout.InfiniteTimeSpan, ct); // busy until the client goes away
            },
        };
        subscriber.MessageHandlerFailed += (_, _) => Interlocked.Increment(ref failures);
        await subscriber.ConnectAsync();
        await subscriber.SubscribeAsync("eqiot/pipeline/#", MqttQualityOfService.AtLeastOnce);
        await using var publisher = await PublisherAsync(broker);
        await PublishSequenceAsync(publisher, Count).WaitAsync(Timeout);
        await Wait.UntilAsync(() => Volatile.Read(ref calls) == Count, Timeout, "every handler called");

        await subscriber.DisposeAsync().AsTask().WaitAsync(Timeout);

        Assert.Equal(0, failures);
        Assert.Equal(0, AcksOf(broker, "dispose-sub"));
        Assert.Equal(Count, (await RedeliveredAfterReconnectAsync(broker, options)).Count);
    }

    private static MqttClientOptions Subscriber(MosquittoBroker broker, string clientId, int window) =>
        new MqttClientOptionsBuilder().WithBroker(broker.Host, broker.Port).WithClientId(clientId).WithCleanSession(false)
            .WithMaxPendingAcknowledgements(window).WithReconnect(true, FastRetry()).Build();

    private static MqttRetryPolicy FastRetry() => new(TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(1), maxAttempts: 200, new Random(5));

    private static async Task<MqttClient> PublisherAsync(MosquittoBroker broker, string clientId = "pipeline-pub")
    {
        var publisher = new MqttClient(new MqttClientOptionsBuilder().WithBroker(broker.Host, broker.Port).WithClientId(clientId).Build());
        await publisher.ConnectAsync();
        return publisher;
    }

    private static async Task PublishSequenceAsync(MqttClient publisher, int count)
    {
        for (var n = 0; n < count; n++) await publisher.PublishAsync(Topic, HeldHandlers.Payload(n), MqttQualityOfService.AtLeastOnce);
    }

    private static int AcksOf(MosquittoBroker broker, string clientId) =>
        broker.Log.Count(line => line.Contains($"Received PUBACK from {clientId} (", StringComparison.Ordinal));

    /// <summary>
    /// Connects again with the same id and persistent session, publishes a marker, and returns every
    /// payload delivered before it: what the broker still held unacknowledged.
    /// </summary>
    private static async Task<List<string>> RedeliveredAfterReconnectAsync(MosquittoBroker broker, MqttClientOptions options)
    {
        var received = new List<string>();
        var marker = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var again = new MqttClient(options with { MaxPendingAcknowledgements = 1 })
        {
            MessageReceived = (message, _) =>
            {
                var text = Encoding.ASCII.GetString(message.Payload.Span);
                if (text == "marker") marker.TrySetResult();
                else lock (received) received.Add(text);
                return ValueTask.CompletedTask;
            },
        };
        Assert.True(await again.ConnectAsync(), "the broker kept the session");
        await using (var publisher = await PublisherAsync(broker, "pipeline-marker"))
        {
            await publisher.PublishAsync(Topic, "marker"u8.ToArray(), MqttQualityOfService.AtLeastOnce);
        }

        await marker.Task.WaitAsync(Timeout);
        lock (received) return [.. received];
    }
}
