using System.Diagnostics;
using EquipmentIoT.Testing;

namespace EquipmentIoT.Bench.Mqtt;

/// <summary>
/// One measurement: a fresh mosquitto, a subscribed mosquitto_sub that exits after N messages, then
/// the publisher with N lines on stdin. The clock runs from starting the publisher (its start-up and
/// connect included, for both publishers alike) to the subscriber's last message.
/// </summary>
internal static class MqttBenchRun
{
    /// <summary>With the publisher gone and nothing arriving for this long, the rest is lost (QoS 0 under overload).</summary>
    private static readonly TimeSpan Stall = TimeSpan.FromSeconds(3);

    public static async Task<RunResult> RunAsync(Publisher publisher, int qos, long messages, PayloadFile input, CancellationToken cancellationToken)
    {
        // Generous: 30 s plus 1 ms per message (1,000 msg/s, a tenth of the slowest rate seen).
        var timeout = TimeSpan.FromSeconds(30) + TimeSpan.FromMilliseconds(messages);
        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions(), cancellationToken).ConfigureAwait(false);
        await using var subscriber = await CountingSubscriber.StartAsync(broker, Publisher.Topic, qos, messages, cancellationToken).ConfigureAwait(false);

        var start = Stopwatch.GetTimestamp();
        var publishing = PublisherProcess.RunAsync(publisher.FileName, publisher.Arguments(broker), publisher.Environment,
            input.Path, messages * (PayloadFile.PayloadBytes + 1), timeout, cancellationToken);
        string? failure = null;
        try
        {
            await Wait.UntilAsync(() => subscriber.Finished || (publishing.IsCompleted && Quiet(subscriber, publishing)),
                timeout, "mosquitto_sub to receive every message", cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            failure = ex.Message;
        }

        if (!subscriber.Finished) await subscriber.StopAsync(cancellationToken).ConfigureAwait(false);
        var end = subscriber.LastDataTimestamp;
        PublisherOutcome? outcome = null;
        try
        {
            outcome = await publishing.ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            failure ??= ex.Message;
        }

        if (outcome is not null)
        {
            if (outcome.ExitCode != 0)
                failure ??= $"exit code {outcome.ExitCode}: {string.Join(" | ", outcome.StderrLines.TakeLast(3))}";
            failure ??= outcome.FeedError;
        }

        // QoS 0 may be dropped under overload (reported as lost); a QoS 1 loss means something broke.
        if (qos > 0 && subscriber.Lines < messages)
            failure ??= $"QoS {qos}: {messages - subscriber.Lines} of {messages} messages never reached the subscriber";

        var seconds = end > start ? Stopwatch.GetElapsedTime(start, end).TotalSeconds : 0;
        var publisherSeconds = outcome is null ? double.NaN : Stopwatch.GetElapsedTime(start, outcome.ExitTimestamp).TotalSeconds;
        return new RunResult(qos, publisher, messages, subscriber.Lines, seconds, publisherSeconds, outcome?.PeakRssKilobytes ?? 0,
            outcome is null ? null : AgentStats.Find(outcome.StderrLines), failure);
    }

    private static bool Quiet(CountingSubscriber subscriber, Task<PublisherOutcome> publishing)
    {
        var last = Math.Max(subscriber.LastDataTimestamp, publishing.IsCompletedSuccessfully ? publishing.Result.ExitTimestamp : 0);
        return Stopwatch.GetElapsedTime(last) >= Stall;
    }
}
