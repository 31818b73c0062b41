using EquipmentIoT.Protocols.Mqtt.Channel;
using EquipmentIoT.Protocols.Mqtt.Formatter;
using EquipmentIoT.Protocols.Mqtt.Packets;

namespace EquipmentIoT.Protocols.Mqtt.Client;

// Reading packets from the broker and handing received messages to the application.
public sealed partial class MqttClient
{
    private async Task ReceiveLoopAsync(MqttConnection c)
    {
        Exception? error = null;
        var input = c.Input;
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(c.Closing).ConfigureAwait(false);
                var buffer = result.Buffer;
                while (MqttFrameReader.TryRead(ref buffer, _options.MaxIncomingPacketSize, out var frame))
                {
                    c.LastReceived = _options.TimeProvider.GetTimestamp();
                    if (HandleFrame(c, frame) is { } delivery && !_receiveQueue.Writer.TryWrite(delivery))
                    {
                        // The application is behind: stop reading (TCP pushes back on the broker) until it catches up.
                        c.ReadBlocked = true;
                        await _receiveQueue.Writer.WriteAsync(delivery, c.Closing).ConfigureAwait(false);
                        c.ReadBlocked = false;
                    }
                }
                input.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    error = new MqttCommunicationException(buffer.IsEmpty
                        ? "the broker closed the connection"
                        : $"the broker closed the connection in the middle of a packet ({buffer.Length} bytes pending)");
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is MqttProtocolException)
        {
            error = ex;
        }
        catch (Exception ex)
        {
            // Socket errors, the connection being aborted, or anything unexpected: whatever it is, the
            // connection is over and OnConnectionLost must run, or the client would hang unnoticed.
            error = c.Error ?? new MqttCommunicationException($"receiving from the broker failed: {ex.Message}", ex);
        }
        await input.CompleteAsync().ConfigureAwait(false);
        OnConnectionLost(c, error);
    }

    /// <summary>Acts on one packet; returns a message to deliver, if it is one.</summary>
    private IncomingDelivery? HandleFrame(MqttConnection c, in MqttFrame frame)
    {
        if (frame.Type != MqttPacketType.ConnAck && !c.ConnAck.Task.IsCompleted)
            throw new MqttProtocolException($"MQTT: the broker sent {MqttFrameReader.Name(frame.Type)} before CONNACK (3.2.0-1)");
        switch (frame.Type)
        {
            case MqttPacketType.PubAck:
                OnPublishAcknowledged(MqttPacketDecoder.DecodePacketIdentifier(frame), OutgoingStage.AwaitingPubAck);
                return null;
            case MqttPacketType.PubRec:
                OnPubRec(c, MqttPacketDecoder.DecodePacketIdentifier(frame));
                return null;
            case MqttPacketType.PubComp:
                OnPublishAcknowledged(MqttPacketDecoder.DecodePacketIdentifier(frame), OutgoingStage.AwaitingPubComp);
                return null;
            case MqttPacketType.Publish:
                return OnPublish(c, (MqttPublishPacket)MqttPacketDecoder.Decode(frame));
            case MqttPacketType.PubRel:
                var released = MqttPacketDecoder.DecodePacketIdentifier(frame);
                lock (_incomingQos2) _incomingQos2.Remove(released);
                SendAck(c, MqttPacketType.PubComp, released);
                return null;
            case MqttPacketType.PingResp:
                MqttPacketDecoder.Decode(frame);
                return null;
            case MqttPacketType.SubAck or MqttPacketType.UnsubAck:
                var ack = (MqttPacketWithIdentifier)MqttPacketDecoder.Decode(frame);
                if (_inflight.Get(ack.PacketIdentifier) is PendingRequest r && r.Expected == frame.Type) r.Complete(ack);
                return null;
            case MqttPacketType.ConnAck:
                var connAck = (MqttConnAckPacket)MqttPacketDecoder.Decode(frame);
                if (!c.ConnAck.TrySetResult(connAck))
                    throw new MqttProtocolException("MQTT: the broker sent a second CONNACK (3.2.0)");
                return null;
            default:
                throw new MqttProtocolException($"MQTT: the broker sent {MqttFrameReader.Name(frame.Type)}, which only clients send");
        }
    }

    private IncomingDelivery? OnPublish(MqttConnection c, MqttPublishPacket p)
    {
        if (p.QualityOfService == MqttQualityOfService.ExactlyOnce)
        {
            bool seen;
            lock (_incomingQos2) seen = _incomingQos2.Contains(p.PacketIdentifier);
            if (seen)
            {
                // Delivered already; the broker did not get our PUBREC. Answer again, deliver nothing (4.3.3).
                Interlocked.Increment(ref _duplicates);
                SendAck(c, MqttPacketType.PubRec, p.PacketIdentifier);
                return null;
            }
        }
        var message = new MqttApplicationMessage(p.Topic, p.Payload, p.QualityOfService, p.Retain, p.Dup);
        return new IncomingDelivery(message, p.PacketIdentifier, c);
    }

    /// <summary>Whether a QoS 2 delivery's id was handled already in the session it belongs to.</summary>
    private bool IsHandledQos2(IncomingDelivery d)
    {
        lock (_incomingQos2)
            return d.Connection.Generation >= _incomingQos2Generation && _incomingQos2.Contains(d.PacketIdentifier);
    }

    private void SendAck(MqttConnection c, MqttPacketType type, ushort id)
    {
        lock (_writeLock)
        {
            // An acknowledgement belongs to the connection that carried the packet; after a reconnect the
            // broker sends the message again (DUP) and that copy gets acknowledged instead.
            if (!c.IsAborted) c.Commit(MqttPacketEncoder.WriteIdentifierOnly(c.Output, type, id));
        }
    }
}
