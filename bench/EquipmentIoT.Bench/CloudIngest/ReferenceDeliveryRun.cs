using System.Diagnostics;
using EquipmentIoT.Bench.Mqtt;
using EquipmentIoT.Testing;

namespace EquipmentIoT.Bench.CloudIngest;

/// <summary>Which subscriber counted the reference run.</summary>
internal enum ReferenceSubscriber
{
    /// <summary>Our MqttClient, connected as ingestion connects, counting only.</summary>
    MqttClient,

    /// <summary><c>mosquitto_sub -C N</c> (<see cref="CountingSubscriber"/>).</summary>
    MosquittoSub,
}

/// <summary>One reference run, in seconds from the first publish.</summary>
/// <param name="Published">When every publisher had every PUBACK.</param>
/// <param name="Received">When the subscriber had every message; NaN when not all arrived.</param>
/// <param name="Delivered">Messages the subscriber counted.</param>
/// <param name="Cpu">CPU used meanwhile.</param>
internal sealed record ReferenceResult(ReferenceSubscriber Subscriber, double Published, double Received, long Delivered, CpuUse Cpu);

/// <summary>
/// mosquitto's own delivery rate for the same messages: a fresh broker configured as for the cloud, a
/// subscriber on the same shared subscription at QoS 1 that only counts, and the same publishers publishing
/// the same sealed batches the same way; the clock runs from the first publish to the last message counted.
/// </summary>
internal static class ReferenceDeliveryRun
{
    public static async Task<ReferenceResult> RunAsync(ReferenceSubscriber kind, MosquittoOptions brokerOptions, string filter, SimulatedFleet fleet,
        CloudIngestOptions o, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var total = fleet.Batches;
        await using var broker = await MosquittoBroker.StartAsync(brokerOptions, cancellationToken).ConfigureAwait(false);
        CountingMqttSubscriber? ours = null;
        CountingSubscriber? theirs = null;
        try
        {
            if (kind == ReferenceSubscriber.MqttClient)
                ours = await CountingMqttSubscriber.StartAsync(broker, filter, o.EffectivePending, total, cancellationToken).ConfigureAwait(false);
            else
                theirs = await CountingSubscriber.StartAsync(broker, filter, 1, total, cancellationToken).ConfigureAwait(false);

            await using var publisher = await FleetPublisher.ConnectAsync(broker, fleet, o.Connections, o.Window, cancellationToken).ConfigureAwait(false);
            var cpu = new CpuMeter(broker);
            var start = Stopwatch.GetTimestamp();
            var publishing = publisher.PublishAllAsync(cancellationToken);
            var received = double.NaN;
            try
            {
                await Wait.UntilAsync(() =>
                {
                    if (publishing.IsFaulted) publishing.GetAwaiter().GetResult(); // a publisher broke: say why
                    return ours?.Finished ?? theirs!.Finished;
                }, timeout, $"the subscriber to count all {total:N0} messages", cancellationToken).ConfigureAwait(false);
                received = Stopwatch.GetElapsedTime(start, ours?.AllReceivedTimestamp ?? theirs!.LastDataTimestamp).TotalSeconds;
            }
            catch (TimeoutException)
            {
                // Reported as a shortfall: Delivered < the batches.
            }

            var used = cpu.Elapsed();
            var published = await publishing.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            return new ReferenceResult(kind, Stopwatch.GetElapsedTime(start, published).TotalSeconds, received, ours?.Received ?? theirs!.Lines, used);
        }
        finally
        {
            if (ours is not null) await ours.DisposeAsync().ConfigureAwait(false);
            if (theirs is not null) await theirs.DisposeAsync().ConfigureAwait(false);
        }
    }
}
