using System.Threading.Channels;
using EquipmentIoT.Protocols.Mqtt.Channel;
using EquipmentIoT.Protocols.Mqtt.Packets;

namespace EquipmentIoT.Protocols.Mqtt.Client;

// Handing received messages to the application, and acknowledging them in the order they arrived (4.6).
public sealed partial class MqttClient
{
    /// <summary>
    /// Calls the application's handler for each received message in arrival order and acknowledges the
    /// message once the handler's task completes, so that "acknowledged" means "handled". With
    /// <see cref="MqttClientOptions.MaxPendingAcknowledgements"/> at 1 each task completes before the next
    /// handler is called. Above 1 the handlers of QoS 0/1 messages are called without waiting, at most that
    /// many tasks outstanding, and <see cref="AcknowledgeLoopAsync"/> awaits them oldest first and
    /// acknowledges in the same order; a QoS 2 message waits until the pipeline is empty and is handled alone.
    /// </summary>
    private async Task DispatchLoopAsync()
    {
        var reader = _receiveQueue.Reader;
        var token = _disposeCts.Token;
        var window = _options.MaxPendingAcknowledgements;
        using var slots = new SemaphoreSlim(window, window);
        var pending = System.Threading.Channels.Channel.CreateUnbounded<PendingHandler>(
            new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var acknowledging = window > 1
            ? Task.Run(() => AcknowledgeLoopAsync(pending.Reader, slots, token), CancellationToken.None)
            : Task.CompletedTask;
        try
        {
            while (await reader.WaitToReadAsync(token).ConfigureAwait(false))
            {
                while (reader.TryRead(out var d))
                {
                    if (window == 1)
                    {
                        await HandleAndAcknowledgeAsync(d, token).ConfigureAwait(false);
                    }
                    else if (d.Message.QualityOfService != MqttQualityOfService.ExactlyOnce)
                    {
                        await slots.WaitAsync(token).ConfigureAwait(false);
                        pending.Writer.TryWrite(new PendingHandler(d, InvokeHandler(d.Message, token)));
                    }
                    else
                    {
                        // Every earlier message acknowledged first (4.6 orders PUBREC with PUBACK), and the id
                        // recorded before anything later is looked at (4.3.3).
                        for (var i = 0; i < window; i++) await slots.WaitAsync(token).ConfigureAwait(false);
                        await HandleAndAcknowledgeAsync(d, token).ConfigureAwait(false);
                        slots.Release(window);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Disposed.
        }
        finally
        {
            pending.Writer.TryComplete();
            await acknowledging.ConfigureAwait(false);
        }
    }

    /// <summary>One message at a time: its handler, then its acknowledgement.</summary>
    private async Task HandleAndAcknowledgeAsync(IncomingDelivery d, CancellationToken token)
    {
        if (d.Message.QualityOfService == MqttQualityOfService.ExactlyOnce && IsHandledQos2(d))
        {
            // A copy the broker resent after a reconnect, read while the first copy was still being
            // handled: the receive loop could not know yet. Answer it, do not handle it again (4.3.3).
            Interlocked.Increment(ref _duplicates);
            SendAck(d.Connection, MqttPacketType.PubRec, d.PacketIdentifier);
            return;
        }
        try
        {
            if (MessageReceived is { } handler) await handler(d.Message, token).ConfigureAwait(false);
        }
        catch (Exception ex) when (!token.IsCancellationRequested)
        {
            OnHandlerFailed(d.Connection, ex);
            return;
        }
        Acknowledge(d);
    }

    /// <summary>
    /// Awaits the pipelined handlers' tasks in arrival order and acknowledges each when it succeeded. A
    /// failed task drops its connection, so neither it nor any later message of that connection is
    /// acknowledged (acknowledgements are written only to the connection that carried the message and
    /// never to an aborted one): the broker redelivers them all.
    /// </summary>
    private async Task AcknowledgeLoopAsync(ChannelReader<PendingHandler> pending, SemaphoreSlim slots, CancellationToken token)
    {
        // Ends when the dispatch loop completes the channel, after it has stopped adding to it.
        while (await pending.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            while (pending.TryRead(out var p))
            {
                try
                {
                    await p.Handled.ConfigureAwait(false);
                    Acknowledge(p.Delivery);
                }
                catch (Exception ex)
                {
                    // After dispose the connection is closed and handlers see a cancelled token: nothing to
                    // acknowledge or report; the broker redelivers what was not acknowledged.
                    if (!token.IsCancellationRequested) OnHandlerFailed(p.Delivery.Connection, ex);
                }
                finally
                {
                    slots.Release();
                }
            }
        }
    }

    /// <summary>Starts the handler; a handler that throws instead of returning a task counts as a failed task.</summary>
    private ValueTask InvokeHandler(MqttApplicationMessage message, CancellationToken token)
    {
        if (MessageReceived is not { } handler) return ValueTask.CompletedTask;
        try
        {
            return handler(message, token);
        }
        catch (Exception ex)
        {
            return ValueTask.FromException(ex);
        }
    }

    private void Acknowledge(IncomingDelivery d)
    {
        Interlocked.Increment(ref _received);
        switch (d.Message.QualityOfService)
        {
            case MqttQualityOfService.AtLeastOnce:
                SendAck(d.Connection, MqttPacketType.PubAck, d.PacketIdentifier);
                break;
            case MqttQualityOfService.ExactlyOnce:
                lock (_incomingQos2)
                {
                    // From a session the broker has since discarded, no PUBREL will come to release the id.
                    if (d.Connection.Generation >= _incomingQos2Generation) _incomingQos2.Add(d.PacketIdentifier);
                }
                SendAck(d.Connection, MqttPacketType.PubRec, d.PacketIdentifier);
                break;
        }
    }

    private void OnHandlerFailed(MqttConnection connection, Exception error)
    {
        MessageHandlerFailed?.Invoke(this, error);
        connection.Abort(new MqttCommunicationException(
            "the message handler failed; the connection was dropped so that the broker redelivers the message", error));
    }

    /// <summary>A message whose handler was called and whose task is not yet awaited.</summary>
    private readonly record struct PendingHandler(IncomingDelivery Delivery, ValueTask Handled);
}
