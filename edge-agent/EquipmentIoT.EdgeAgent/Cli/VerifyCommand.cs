using System.Globalization;
using System.Threading.Channels;
using EquipmentIoT.EdgeAgent.Publishing;
using EquipmentIoT.Protocols.Mqtt;
using EquipmentIoT.Protocols.Mqtt.Client;
using EquipmentIoT.Protocols.Telemetry;
using EquipmentIoT.Protocols.Telemetry.Chain;
using EquipmentIoT.Protocols.Telemetry.Jose;
using EquipmentIoT.Protocols.Telemetry.Topics;

namespace EquipmentIoT.EdgeAgent.Cli;

/// <summary>
/// <c>eqiot agent verify --broker mqtt://HOST:PORT --agent ID --public-key FILE [-C N] [-W S]</c>: a
/// commissioning tool. Subscribes to one agent's telemetry and prints, per batch, whether its signature
/// verifies with the given public key, whether its sequence and hash chain follow on, and what it holds.
/// Exit code 0 when everything seen verified, 1 otherwise.
/// </summary>
public static class VerifyCommand
{
    private const string Usage = "usage: eqiot agent verify --broker mqtt://HOST:PORT --agent ID --public-key FILE [-C COUNT] [-W SECONDS]";

    /// <summary>Runs the tool; returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        string broker = "mqtt://127.0.0.1:1883", agent = "", keyFile = "";
        int count = int.MaxValue, seconds = 0;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--broker" when value is not null: broker = value; i++; break;
                case "--agent" when value is not null: agent = value; i++; break;
                case "--public-key" when value is not null: keyFile = value; i++; break;
                case "-C" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var c) && c > 0: count = c; i++; break;
                case "-W" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var w) && w > 0: seconds = w; i++; break;
                case "-h" or "--help": Console.WriteLine(Usage); return 0;
                default: Console.Error.WriteLine($"eqiot agent verify: unexpected '{args[i]}'\n{Usage}"); return 2;
            }
        }

        var problem = keyFile.Length == 0 ? "--public-key is required" : TelemetryTopics.ValidateAgentId(agent) is { } why ? $"--agent: {why}" : null;
        if (problem is not null)
        {
            Console.Error.WriteLine($"eqiot agent verify: {problem}\n{Usage}");
            return 2;
        }

        using var key = AgentKeys.LoadPublicKey(keyFile);
        var kid = JwkThumbprint.Compute(key);
        var verifier = new JwsVerifier(k => k == kid ? key : null);
        var address = BrokerAddress.Parse(broker);
        var builder = new MqttClientOptionsBuilder().WithBroker(address.Host, address.Port).WithClientId($"eqiot-verify-{Environment.ProcessId}");
        if (address.Tls) builder.WithTls();
        var received = Channel.CreateUnbounded<byte[]>();
        await using var client = new MqttClient(builder.Build())
        {
            MessageReceived = (m, _) =>
            {
                received.Writer.TryWrite(m.Payload.ToArray());
                return default;
            },
        };
        using var stop = seconds > 0 ? new CancellationTokenSource(TimeSpan.FromSeconds(seconds)) : new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        await client.ConnectAsync(stop.Token);
        await client.SubscribeAsync(TelemetryTopics.Telemetry(agent), MqttQualityOfService.AtLeastOnce, stop.Token);
        Console.Error.WriteLine($"verifying {TelemetryTopics.Telemetry(agent)} with kid {kid}");

        var last = new Dictionary<string, ChainPosition>();
        int seen = 0, bad = 0;
        try
        {
            while (seen < count)
            {
                var payload = await received.Reader.ReadAsync(stop.Token);
                seen++;
                var opened = TelemetryEnvelope.Open(payload, verifier, agent);
                if (!opened.TryGetValue(out var o))
                {
                    bad++;
                    Console.WriteLine($"REJECTED  {opened.Error}");
                    continue;
                }

                var b = o.Batch;
                var verdict = TelemetryChain.Classify(last.TryGetValue(b.Stream, out var p) ? p : null, b.Seq, b.Prev, o.Hash);
                if (verdict is ChainVerdict.Next or ChainVerdict.Gap) last[b.Stream] = new ChainPosition(b.Seq, o.Hash);
                if (verdict is ChainVerdict.Broken or ChainVerdict.Conflict) bad++;
                var what = b.Metrics.Count > 0
                    ? $"{b.Metrics.Count} points, e.g. {b.Metrics[0].Device}/{b.Metrics[0].Name}={b.Metrics[0].Value.ToString(CultureInfo.InvariantCulture)} {b.Metrics[0].Unit}"
                    : $"{b.Events.Count} events: {string.Join(", ", b.Events.Take(3).Select(e => $"{e.Type} {e.Device}"))}";
                Console.WriteLine($"{b.Stream,-7}  seq {b.Seq,6}  signature ok  chain {verdict.ToString().ToLowerInvariant(),-9}  {what}");
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // -W elapsed or Ctrl+C.
        }

        Console.Error.WriteLine($"{seen} batches, {bad} failed verification");
        return bad == 0 ? 0 : 1;
    }
}
