using System.Diagnostics;
using EquipmentIoT.Protocols.Mqtt;
using EquipmentIoT.Protocols.Mqtt.Client;
using EquipmentIoT.Protocols.Mqtt.Packets;
using EquipmentIoT.Testing;

namespace EquipmentIoT.Bench.CloudIngest;

/// <summary>
/// The cloud's MQTT side without the cloud: our MqttClient connected as ingestion connects (persistent session,
/// the same MaxPendingAcknowledgements and receive queue as IngestionMqtt), subscribed at QoS 1 to the same
/// shared subscription, whose handler only counts. What mosquitto delivers to it is the ceiling for ingestion.
/// </summary>
internal sealed class CountingMqttSubscriber : IAsyncDisposable
{
    private readonly MqttClient _client;
    private readonly long _expected;
    private long _received;
    private long _lastTimestamp;

    private CountingMqttSubscriber(MqttClient client, long expected)
    {
        _client = client;
        _expected = expected;
        _client.MessageReceived = OnMessage;
    }

    public long Received => Interlocked.Read(ref _received);

    /// <summary><see cref="Stopwatch.GetTimestamp"/> when the expected count was reached (0 before).</summary>
    public long AllReceivedTimestamp => Interlocked.Read(ref _lastTimestamp);

    public bool Finished => Received >= _expected;

    public static async Task<CountingMqttSubscriber> StartAsync(MosquittoBroker broker, string filter, int pendingAcknowledgements, long expected,
        CancellationToken cancellationToken)
    {
        var client = new MqttClient(new MqttClientOptionsBuilder()
            .WithBroker(broker.Host, broker.Port)
            .WithClientId("eqiot-bench-reference")
            .WithCleanSession(false)
            .WithMaxPendingAcknowledgements(pendingAcknowledgements)
            .WithReconnect(false)
            .With(x => x with { ReceiveQueueCapacity = Math.Max(x.ReceiveQueueCapacity, pendingAcknowledgements) })
            .Build());
        var subscriber = new CountingMqttSubscriber(client, expected);
        try
        {
            await client.ConnectAsync(cancellationToken).ConfigureAwait(false);
            var granted = await client.SubscribeAsync(filter, MqttQualityOfService.AtLeastOnce, cancellationToken).ConfigureAwait(false);
            if (granted == MqttSubscribeReturnCode.Failure) throw new InvalidOperationException($"mosquitto refused the subscription {filter}");
            return subscriber;
        }
        catch
        {
            await subscriber.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public ValueTask DisposeAsync() => _client.DisposeAsync();

    private ValueTask OnMessage(MqttApplicationMessage message, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _received) == _expected) Interlocked.Exchange(ref _lastTimestamp, Stopwatch.GetTimestamp());
        return ValueTask.CompletedTask;
    }
}
