using System.Diagnostics;
using System.Globalization;
using EquipmentIoT.Bench.Mqtt;
using EquipmentIoT.Testing;

namespace EquipmentIoT.Bench.Drain;

/// <summary>What mosquitto_pub did, in seconds from starting it (process start-up and connect included).</summary>
/// <param name="Received">When the subscriber's last message arrived; NaN if not all arrived.</param>
/// <param name="Exited">When mosquitto_pub exited (all its PUBACKs in).</param>
/// <param name="Delivered">Messages the subscriber received.</param>
/// <param name="PeakRssMegabytes">mosquitto_pub's VmHWM.</param>
/// <param name="Failure">Why the run broke, or null.</param>
internal sealed record ReferenceDrainResult(double Received, double Exited, long Delivered, double PeakRssMegabytes, string? Failure);

/// <summary>
/// The reference: <c>mosquitto_pub -l -q 1 -M window</c> fed the same JWS lines, counted by the same kind
/// of subscriber, measured like <c>eqiot-bench mqtt</c> measures it (PublisherProcess, CountingSubscriber).
/// </summary>
internal static class ReferenceDrainRun
{
    public static async Task<ReferenceDrainResult> RunAsync(MosquittoBroker broker, string topic, string linesFile, long lines, int window,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        await using var subscriber = await CountingSubscriber.StartAsync(broker, topic, 1, lines, cancellationToken).ConfigureAwait(false);
        string[] arguments = [.. MosquittoClients.ConnectionArguments(broker), "-t", topic, "-q", "1", "-l",
            "-M", window.ToString(CultureInfo.InvariantCulture)];
        var start = Stopwatch.GetTimestamp();
        var outcome = await PublisherProcess.RunAsync(ExternalTool.MosquittoPub, arguments, new Dictionary<string, string?>(), linesFile,
            new FileInfo(linesFile).Length, timeout, cancellationToken).ConfigureAwait(false);
        string? failure = outcome.ExitCode != 0
            ? $"mosquitto_pub exited {outcome.ExitCode}: {string.Join(" | ", outcome.StderrLines.TakeLast(3))}"
            : outcome.FeedError;

        var received = double.NaN;
        try
        {
            // A failed publisher sends nothing more: do not wait the whole timeout for it.
            var wait = failure is null ? timeout : TimeSpan.FromSeconds(3);
            await Wait.UntilAsync(() => subscriber.Finished, wait, $"mosquitto_sub to receive all {lines} messages", cancellationToken)
                .ConfigureAwait(false);
            received = Stopwatch.GetElapsedTime(start, subscriber.LastDataTimestamp).TotalSeconds;
        }
        catch (TimeoutException ex)
        {
            failure ??= ex.Message;
        }

        return new ReferenceDrainResult(received, Stopwatch.GetElapsedTime(start, outcome.ExitTimestamp).TotalSeconds, subscriber.Lines,
            outcome.PeakRssKilobytes / 1024.0, failure);
    }
}
