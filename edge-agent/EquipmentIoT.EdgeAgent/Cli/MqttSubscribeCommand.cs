using EquipmentIoT.Protocols.Mqtt.Client;
using EquipmentIoT.Protocols.Mqtt.Packets;

namespace EquipmentIoT.EdgeAgent.Cli;

/// <summary><c>eqiot agent mqtt sub</c>: print received payloads, one per line.</summary>
internal static class MqttSubscribeCommand
{
    public const string Help = """
        eqiot agent mqtt sub -t FILTER [-t FILTER ...] [options]
          -C N           exit after N messages          -W SECONDS   exit after SECONDS (exit code 27)
          -v             print "topic payload"
        Filters may use + and #, and $share/GROUP/FILTER for a shared subscription.
        """;

    /// <summary>mosquitto_sub's exit code when -W runs out (ETIMEDOUT).</summary>
    public const int TimedOut = 27;

    public static async Task<int> RunAsync(MqttToolOptions o, CancellationToken cancellationToken)
    {
        var stdout = Console.OpenStandardOutput();
        var received = 0;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var client = new MqttClient(o.ToClientOptions("eqiot-sub") with { AutoReconnect = o.Count is null && o.TimeoutSeconds is null });
        MqttToolConsole.AttachDebug(client, o.Debug);
        client.MessageReceived = async (message, token) =>
        {
            if (o.Count is { } max && received >= max) return;
            var line = new byte[(o.Verbose ? System.Text.Encoding.UTF8.GetByteCount(message.Topic) + 1 : 0) + message.Payload.Length + 1];
            var at = 0;
            if (o.Verbose)
            {
                at = System.Text.Encoding.UTF8.GetBytes(message.Topic, line);
                line[at++] = (byte)' ';
            }
            message.Payload.Span.CopyTo(line.AsSpan(at));
            line[^1] = (byte)'\n';
            await stdout.WriteAsync(line, token).ConfigureAwait(false);
            await stdout.FlushAsync(token).ConfigureAwait(false);
            if (o.Count is { } count && ++received >= count) done.TrySetResult();
        };
        client.Disconnected += (_, e) =>
        {
            if (e.Reason is not null && !e.WillReconnect) done.TrySetException(e.Reason);
        };
        await client.ConnectAsync(cancellationToken).ConfigureAwait(false);
        var codes = await client.SubscribeAsync(o.Topics.Select(t => new MqttTopicSubscription(t, o.Qos)).ToList(), cancellationToken).ConfigureAwait(false);
        for (var i = 0; i < codes.Count; i++)
            if (codes[i] == MqttSubscribeReturnCode.Failure)
                await Console.Error.WriteLineAsync($"Error: the broker refused the subscription to '{o.Topics[i]}'").ConfigureAwait(false);
        if (o.Debug) await Console.Error.WriteLineAsync($"subscribed: {string.Join(", ", o.Topics)}").ConfigureAwait(false);

        try
        {
            var wait = done.Task.WaitAsync(cancellationToken);
            if (o.TimeoutSeconds is { } seconds) wait = wait.WaitAsync(TimeSpan.FromSeconds(seconds), cancellationToken);
            await wait.ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            if (o.Debug) await Console.Error.WriteLineAsync($"timed out after {o.TimeoutSeconds} s with {received} messages").ConfigureAwait(false);
            await client.DisconnectAsync(CancellationToken.None).ConfigureAwait(false);
            return TimedOut;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C
        }
        await client.DisconnectAsync(CancellationToken.None).ConfigureAwait(false);
        return 0;
    }
}
