using EquipmentIoT.Protocols.Mqtt.Channel;
using EquipmentIoT.Protocols.Mqtt.Formatter;
using EquipmentIoT.Protocols.Mqtt.Topics;

namespace EquipmentIoT.Protocols.Mqtt.Client;

// Publishing: QoS 0 straight to the socket queue, QoS 1/2 through the in-flight window.
public sealed partial class MqttClient
{
    /// <summary>
    /// Publishes a message. QoS 0 completes when the message is queued for the socket (waiting while
    /// more than <see cref="MqttClientOptions.OutgoingHighWaterBytes"/> are unsent); QoS 1 completes on
    /// PUBACK and QoS 2 on PUBCOMP, waiting first for a place in the in-flight window. While the client
    /// reconnects, QoS 1/2 messages are held and sent (again, with DUP) once connected.
    /// The payload must not change until the returned task completes. Allocates nothing in steady state.
    /// </summary>
    /// <exception cref="ArgumentException">The topic is not a valid topic name.</exception>
    /// <exception cref="MqttCommunicationException">Not connected and not reconnecting.</exception>
    public ValueTask PublishAsync(string topic, ReadOnlyMemory<byte> payload, MqttQualityOfService qualityOfService = MqttQualityOfService.AtMostOnce,
        bool retain = false, CancellationToken cancellationToken = default)
    {
        if (MqttTopic.ValidateName(topic) is { } why) throw new ArgumentException($"'{topic}': {why}", nameof(topic));
        if (qualityOfService > MqttQualityOfService.ExactlyOnce) throw new ArgumentOutOfRangeException(nameof(qualityOfService));
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled(cancellationToken);
        ThrowIfCannotSend();
        Interlocked.Increment(ref _published);

        if (qualityOfService == MqttQualityOfService.AtMostOnce)
        {
            var c = _connection;
            if (c is not null && c.Unsent < _options.OutgoingHighWaterBytes)
            {
                lock (_writeLock)
                {
                    if (ReferenceEquals(c, _connection) && !c.IsAborted)
                    {
                        c.Commit(MqttPacketEncoder.WritePublish(c.Output, topic, payload.Span, qualityOfService, retain, dup: false, 0));
                        return default;
                    }
                }
            }
            return PublishQos0SlowAsync(topic, payload, retain, cancellationToken);
        }

        var m = _inflight.TryAdd(topic, payload, qualityOfService, retain);
        return m is null
            ? PublishWhenWindowFreeAsync(topic, payload, qualityOfService, retain, cancellationToken)
            : SendAndAwait(m, cancellationToken);
    }

    private ValueTask SendAndAwait(OutgoingMessage m, CancellationToken cancellationToken)
    {
        if (cancellationToken.CanBeCanceled) m.RegisterCancellation(cancellationToken);
        lock (_writeLock)
        {
            if (_connection is { IsAborted: false } c && m.SentGeneration != c.Generation) WriteOutgoing(c, m);
        }
        return new ValueTask(m, m.Version);
    }

    /// <summary>Writes a held message as PUBLISH, or PUBREL once PUBREC came. Caller holds the write lock.</summary>
    private static void WriteOutgoing(MqttConnection c, OutgoingMessage m)
    {
        var n = m.Stage == OutgoingStage.AwaitingPubComp
            ? MqttPacketEncoder.WriteIdentifierOnly(c.Output, MqttPacketType.PubRel, m.PacketIdentifier)
            : MqttPacketEncoder.WritePublish(c.Output, m.Topic, m.Payload.Span, m.QualityOfService, m.Retain,
                dup: m.SentGeneration != 0, m.PacketIdentifier);
        m.SentGeneration = c.Generation;
        c.Commit(n);
    }

    private async ValueTask PublishWhenWindowFreeAsync(string topic, ReadOnlyMemory<byte> payload, MqttQualityOfService qos, bool retain,
        CancellationToken cancellationToken)
    {
        while (true)
        {
            var freed = _inflight.WindowFreed.WaitAsync();
            var m = _inflight.TryAdd(topic, payload, qos, retain);
            if (m is not null)
            {
                await SendAndAwait(m, cancellationToken).ConfigureAwait(false);
                return;
            }
            ThrowIfCannotSend();
            await freed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask PublishQos0SlowAsync(string topic, ReadOnlyMemory<byte> payload, bool retain, CancellationToken cancellationToken)
    {
        while (true)
        {
            var connected = _connectedSignal.WaitAsync();
            var c = _connection;
            if (c is null)
            {
                ThrowIfCannotSend();
                await connected.WaitAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }
            var drained = c.Drained.WaitAsync();
            if (c.Unsent >= _options.OutgoingHighWaterBytes && !c.IsAborted)
            {
                await drained.WaitAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }
            lock (_writeLock)
            {
                if (ReferenceEquals(c, _connection) && !c.IsAborted)
                {
                    c.Commit(MqttPacketEncoder.WritePublish(c.Output, topic, payload.Span, MqttQualityOfService.AtMostOnce, retain, dup: false, 0));
                    return;
                }
            }
        }
    }

    /// <summary>An acknowledgement for one of our publishes arrived.</summary>
    private void OnPublishAcknowledged(ushort id, OutgoingStage stage)
    {
        var m = _inflight.RemovePublish(id, stage);
        if (m is null) return; // late or duplicate acknowledgement (e.g. after a redelivery): nothing waits for it
        Interlocked.Increment(ref _acknowledged);
        m.Complete(null);
        m.Release();
    }

    private void OnPubRec(MqttConnection c, ushort id)
    {
        // 4.3.3: on PUBREC the sender discards the message and keeps only the id, answering PUBREL.
        if (_inflight.Get(id) is OutgoingMessage { QualityOfService: MqttQualityOfService.ExactlyOnce } m)
            m.Stage = OutgoingStage.AwaitingPubComp;
        lock (_writeLock)
        {
            if (!c.IsAborted) c.Commit(MqttPacketEncoder.WriteIdentifierOnly(c.Output, MqttPacketType.PubRel, id));
        }
    }
}
