using System.Diagnostics;
using System.Runtime.Versioning;
using EquipmentIoT.Bench.Mqtt;
using EquipmentIoT.Bench.Telemetry;
using EquipmentIoT.EdgeAgent.Buffer;
using EquipmentIoT.EdgeAgent.Configuration;
using EquipmentIoT.EdgeAgent.Health;
using EquipmentIoT.EdgeAgent.Publishing;
using EquipmentIoT.Protocols.Telemetry.State;
using EquipmentIoT.Protocols.Telemetry.Topics;
using EquipmentIoT.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;

namespace EquipmentIoT.Bench.Drain;

/// <summary>What the agent's forwarder did, in seconds from starting it (connect included).</summary>
/// <param name="Connected">When the transport was connected.</param>
/// <param name="Acknowledged">When the buffer's ack watermark reached the last batch (every PUBACK in).</param>
/// <param name="Received">When the subscriber's last batch arrived; NaN if not all arrived.</param>
/// <param name="Delivered">Batches the subscriber received.</param>
internal sealed record AgentDrainResult(double Connected, double Acknowledged, double Received, long Delivered);

/// <summary>
/// The agent's own forwarding path, wired as AgentHost wires it (MqttBrokerTransport with the offline
/// state as will, Forwarder with a read-ahead of twice the window), draining a ready backlog.
/// </summary>
internal static class AgentDrainRun
{
    [SupportedOSPlatform("linux")]
    public static async Task<AgentDrainResult> RunAsync(MosquittoBroker broker, DurableBuffer buffer, DrainBenchOptions o, string dataDirectory,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        var agent = new AgentOptions
        {
            Id = SampleBatches.AgentId,
            DataDirectory = dataDirectory,
            Transport = new TransportOptions
            {
                Kind = "mqtt",
                Mqtt = new MqttTransportOptions { Broker = $"mqtt://{broker.Host}:{broker.Port}", MaxInflight = o.Window },
            },
        };
        var offline = AgentStateWriter.ToUtf8(new AgentStateRecord
        {
            Agent = agent.Id,
            Status = AgentStatus.Offline,
            At = SystemClock.Instance.GetCurrentInstant(),
        });
        var last = buffer.LastSeq(BufferStreams.Metrics);

        await using var subscriber = await CountingSubscriber.StartAsync(broker, TelemetryTopics.Telemetry(agent.Id), 1, last, cancellationToken)
            .ConfigureAwait(false);
        var transport = new MqttBrokerTransport(agent, offline, TimeProvider.System, NullLogger<MqttBrokerTransport>.Instance);
        await using (transport.ConfigureAwait(false))
        {
            var forwarder = new Forwarder(buffer, transport, new AgentCounters(), Math.Max(2, o.Window * 2), TimeProvider.System,
                NullLogger<Forwarder>.Instance);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var start = Stopwatch.GetTimestamp();
            var forwarding = forwarder.RunAsync(stop.Token);
            await transport.ConnectAsync(cancellationToken).ConfigureAwait(false);
            var connected = Stopwatch.GetElapsedTime(start).TotalSeconds;

            // Polled every millisecond, not at Wait's 15 ms: the whole drain may take well under a second.
            while (buffer.GetStatistics().For(BufferStreams.Metrics).AcknowledgedSeq < last && !forwarding.IsCompleted)
            {
                if (Stopwatch.GetElapsedTime(start) > timeout) throw new TimeoutException($"timed out after {timeout} waiting for the buffer to have all {last} batches acknowledged");
                await Task.Delay(1, cancellationToken).ConfigureAwait(false);
            }

            var acknowledged = Stopwatch.GetElapsedTime(start).TotalSeconds;
            if (forwarding.IsFaulted) await forwarding.ConfigureAwait(false); // the forwarder broke: say why
            if (buffer.GetStatistics().For(BufferStreams.Metrics).AcknowledgedSeq < last)
                throw new InvalidOperationException("the forwarder stopped before every batch was acknowledged");

            double received;
            try
            {
                await Wait.UntilAsync(() => subscriber.Finished, timeout, $"mosquitto_sub to receive all {last} batches", cancellationToken)
                    .ConfigureAwait(false);
                received = Stopwatch.GetElapsedTime(start, subscriber.LastDataTimestamp).TotalSeconds;
            }
            catch (TimeoutException)
            {
                received = double.NaN; // reported as a shortfall below
            }

            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await forwarding.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Stopped while waiting for a connection or a batch: expected.
            }

            using var bye = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bye.CancelAfter(TimeSpan.FromSeconds(5));
            await transport.DisconnectAsync(offline, bye.Token).ConfigureAwait(false);
            return new AgentDrainResult(connected, acknowledged, received, subscriber.Lines);
        }
    }
}
