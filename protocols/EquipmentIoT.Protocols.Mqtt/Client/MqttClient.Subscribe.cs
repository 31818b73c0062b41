using EquipmentIoT.Protocols.Mqtt.Channel;
using EquipmentIoT.Protocols.Mqtt.Formatter;
using EquipmentIoT.Protocols.Mqtt.Packets;
using EquipmentIoT.Protocols.Mqtt.Topics;

namespace EquipmentIoT.Protocols.Mqtt.Client;

// SUBSCRIBE / UNSUBSCRIBE, and subscribing again when the broker lost our session.
public sealed partial class MqttClient
{
    /// <summary>Subscribes to one topic filter (wildcards and <c>$share/group/filter</c> allowed).</summary>
    public async Task<MqttSubscribeReturnCode> SubscribeAsync(string topicFilter, MqttQualityOfService qualityOfService,
        CancellationToken cancellationToken = default) =>
        (await SubscribeAsync([new MqttTopicSubscription(topicFilter, qualityOfService)], cancellationToken).ConfigureAwait(false))[0];

    /// <summary>
    /// Subscribes and returns the broker's answer per filter (granted QoS or failure). The client
    /// remembers granted subscriptions and makes them again if a reconnect finds no session.
    /// </summary>
    public async Task<IReadOnlyList<MqttSubscribeReturnCode>> SubscribeAsync(IReadOnlyList<MqttTopicSubscription> subscriptions,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subscriptions);
        if (subscriptions.Count == 0) throw new ArgumentException("at least one subscription is required", nameof(subscriptions));
        foreach (var s in subscriptions)
            if (MqttTopic.ValidateFilter(s.TopicFilter) is { } why) throw new ArgumentException($"'{s.TopicFilter}': {why}", nameof(subscriptions));

        var c = await WaitForConnectionAsync(cancellationToken).ConfigureAwait(false);
        var ack = (MqttSubAckPacket)await RequestAsync(c, MqttPacketType.SubAck,
            id => new MqttSubscribePacket { PacketIdentifier = id, Subscriptions = subscriptions }, cancellationToken).ConfigureAwait(false);
        if (ack.ReturnCodes.Count != subscriptions.Count)
            throw new MqttProtocolException($"MQTT SUBACK: {ack.ReturnCodes.Count} return codes for {subscriptions.Count} filters (3.9.3)");
        lock (_subscriptions)
        {
            for (var i = 0; i < subscriptions.Count; i++)
                if (ack.ReturnCodes[i] != MqttSubscribeReturnCode.Failure)
                    _subscriptions[subscriptions[i].TopicFilter] = subscriptions[i].QualityOfService;
        }
        return ack.ReturnCodes;
    }

    /// <summary>Unsubscribes from topic filters.</summary>
    public async Task UnsubscribeAsync(IReadOnlyList<string> topicFilters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(topicFilters);
        if (topicFilters.Count == 0) throw new ArgumentException("at least one topic filter is required", nameof(topicFilters));
        foreach (var f in topicFilters)
            if (MqttTopic.ValidateFilter(f) is { } why) throw new ArgumentException($"'{f}': {why}", nameof(topicFilters));
        var c = await WaitForConnectionAsync(cancellationToken).ConfigureAwait(false);
        await RequestAsync(c, MqttPacketType.UnsubAck,
            id => new MqttUnsubscribePacket { PacketIdentifier = id, TopicFilters = topicFilters }, cancellationToken).ConfigureAwait(false);
        lock (_subscriptions)
            foreach (var f in topicFilters) _subscriptions.Remove(f);
    }

    private async Task ResubscribeAsync(MqttConnection c, CancellationToken cancellationToken)
    {
        MqttTopicSubscription[] all;
        lock (_subscriptions) all = [.. _subscriptions.Select(kv => new MqttTopicSubscription(kv.Key, kv.Value))];
        if (all.Length == 0) return;
        await RequestAsync(c, MqttPacketType.SubAck,
            id => new MqttSubscribePacket { PacketIdentifier = id, Subscriptions = all }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<MqttConnection> WaitForConnectionAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var connected = _connectedSignal.WaitAsync();
            if (_connection is { } c) return c;
            ThrowIfCannotSend();
            await connected.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<MqttPacketWithIdentifier> RequestAsync(MqttConnection c, MqttPacketType expected,
        Func<ushort, MqttPacket> build, CancellationToken cancellationToken)
    {
        var request = new PendingRequest(expected);
        var id = _inflight.AddRequest(request);
        try
        {
            var packet = build(id);
            lock (_writeLock)
            {
                if (c.IsAborted) throw new MqttCommunicationException("the connection was lost before the request was sent");
                c.Commit(MqttPacketEncoder.Encode(packet, c.Output));
            }
            return await request.Task.WaitAsync(_options.RequestTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            throw new MqttCommunicationException(
                $"no {MqttFrameReader.Name(expected)} within {_options.RequestTimeout.TotalSeconds:0.#} s", ex);
        }
        finally
        {
            _inflight.RemoveRequest(id, request);
        }
    }
}
