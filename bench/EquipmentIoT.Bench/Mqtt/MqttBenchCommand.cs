using System.Globalization;

namespace EquipmentIoT.Bench.Mqtt;

/// <summary>
/// <c>eqiot-bench mqtt</c>: publish throughput, allocation and peak RSS of <c>eqiot-agent mqtt pub -l</c>
/// against <c>mosquitto_pub -l</c>, measured the same way in the same run. A measurement: exits 0
/// whatever the figures, 1 only when a run broke (a publisher failed or hung), 2 on a bad command line.
/// </summary>
internal static class MqttBenchCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        MqttBenchOptions options;
        string agent;
        try
        {
            options = MqttBenchOptions.Parse(args);
            if (options.ShowHelp)
            {
                Console.WriteLine(MqttBenchOptions.Help);
                return 0;
            }
            agent = AgentLocator.Find(options.AgentPath);
        }
        catch (CommandLineException ex)
        {
            await Console.Error.WriteLineAsync($"eqiot-bench mqtt: {ex.Message}").ConfigureAwait(false);
            return 2;
        }

        var lines = options.QosLevels.Max(options.MessagesFor);
        using var input = PayloadFile.Create(lines);
        Console.WriteLine(Text($"payload: {lines:N0} lines of {PayloadFile.PayloadBytes} bytes in {input.Path}; agent: {agent}"));
        if (options.AgentEnvironment.Count > 0)
            Console.WriteLine("agent environment: " + string.Join(' ', options.AgentEnvironment.Select(kv => $"{kv.Key}={kv.Value}")));

        var results = new List<RunResult>();
        try
        {
            foreach (var qos in options.QosLevels)
            {
                var messages = options.MessagesFor(qos);
                var publishers = Publisher.For(qos, agent, options.AgentEnvironment);
                // Repetitions outside, publishers inside: a slow minute on a shared machine hits every row alike.
                for (var run = 1; run <= options.Runs; run++)
                {
                    foreach (var publisher in publishers)
                    {
                        var result = await MqttBenchRun.RunAsync(publisher, qos, messages, input, cancellationToken).ConfigureAwait(false);
                        results.Add(result);
                        Console.WriteLine(Describe(result, run, options.Runs));
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("eqiot-bench mqtt: cancelled").ConfigureAwait(false);
            return 130;
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or IOException)
        {
            // The set-up broke (mosquitto or mosquitto_sub missing or not starting): no figures to show.
            await Console.Error.WriteLineAsync($"eqiot-bench mqtt: {ex.Message}").ConfigureAwait(false);
            return 1;
        }

        Console.WriteLine();
        Console.WriteLine(Text($"MQTT publish, {PayloadFile.PayloadBytes}-byte payloads, topic '{Publisher.Topic}', fresh mosquitto per run, delivered = received by mosquitto_sub"));
        Console.WriteLine(Text($"messages per run: {string.Join(", ", options.QosLevels.Select(q => Text($"QoS {q}: {options.MessagesFor(q):N0}")))}; {options.Runs} run(s) per row"));
        Console.WriteLine("delivered msg/s: publisher start (process start-up and connect included) to the subscriber's last message;");
        Console.WriteLine("own msg/s: eqiot-agent's --stats (connected to last publish done); RSS: VmHWM polled every 20 ms, MiB");
        Console.WriteLine();
        ResultTable.Print(Console.Out, results);
        return results.Any(r => r.Failure is not null) ? 1 : 0;
    }

    private static string Describe(RunResult r, int run, int runs) => string.Create(CultureInfo.InvariantCulture,
        $"qos {r.Qos} run {run}/{runs} {r.Publisher.Label}: {r.Delivered:N0}/{r.Messages:N0} delivered in {r.Seconds:0.000} s = {r.DeliveredPerSecond:N0} msg/s, " +
        $"publisher exited after {r.PublisherSeconds:0.000} s, peak RSS {r.PeakRssMegabytes:0.0} MB") +
        (r.Stats is { } s ? Text($", own {s.MessagesPerSecond:N0} msg/s, {s.AllocatedBytesPerMessage:0.0} B/msg") : "") +
        (r.Failure is { } f ? $" — FAILED: {f}" : "");

    private static string Text(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
