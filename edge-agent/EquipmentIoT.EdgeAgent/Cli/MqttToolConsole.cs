using EquipmentIoT.Protocols.Mqtt;
using EquipmentIoT.Protocols.Mqtt.Client;

namespace EquipmentIoT.EdgeAgent.Cli;

/// <summary>Entry of <c>eqiot agent mqtt …</c>: parses, runs, and turns failures into one clear line.</summary>
internal static class MqttToolConsole
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0] is not ("pub" or "sub") || args.Contains("--help"))
        {
            Console.WriteLine(MqttPublishCommand.Help);
            Console.WriteLine(MqttSubscribeCommand.Help);
            Console.WriteLine("Common options:");
            Console.WriteLine(MqttToolOptions.CommonHelp);
            return args.Contains("--help") ? 0 : 2;
        }
        var publisher = args[0] == "pub";
        var options = MqttToolOptions.Parse(args[1..], publisher, out var error);
        if (options is null)
        {
            await Console.Error.WriteLineAsync($"Error: {error}. See 'eqiot agent mqtt --help'.").ConfigureAwait(false);
            return 2;
        }
        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cts.Cancel();
        };
        try
        {
            return publisher
                ? await MqttPublishCommand.RunAsync(options, cts.Token).ConfigureAwait(false)
                : await MqttSubscribeCommand.RunAsync(options, cts.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is MqttCommunicationException or MqttProtocolException or IOException
                                       or ArgumentException or System.Security.Cryptography.CryptographicException)
        {
            await Console.Error.WriteLineAsync($"Error: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    public static void AttachDebug(MqttClient client, bool debug)
    {
        if (!debug) return;
        client.Connected += (_, e) => Console.Error.WriteLine($"connected (session present: {e.SessionPresent}, redelivered: {e.Redelivered})");
        client.Disconnected += (_, e) => Console.Error.WriteLine($"disconnected: {e.Reason?.Message ?? "requested"}; reconnect: {e.WillReconnect}");
        client.Reconnecting += (_, e) => Console.Error.WriteLine($"reconnecting: attempt {e.Attempt} in {e.Delay.TotalSeconds:0.0} s after: {e.LastError.Message}");
    }
}
