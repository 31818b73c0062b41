using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using EquipmentIoT.Protocols.Mqtt.Client;
using EquipmentIoT.Testing;

namespace EquipmentIoT.Protocols.Tests.Mqtt.Client;

/// <summary>
/// A message handler whose tasks the test completes: every call is recorded (payload as text, DUP flag)
/// and returns a task that stays pending until <see cref="Release"/> or <see cref="Fail"/>.
/// </summary>
internal sealed class HeldHandlers
{
    private readonly Lock gate = new();
    private readonly List<(string Payload, bool Dup)> calls = [];
    private readonly List<(string Payload, TaskCompletionSource Done)> held = [];
    private int outstanding, maxOutstanding;

    public MqttMessageHandler Handler => (message, _) =>
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var payload = Encoding.ASCII.GetString(message.Payload.Span);
        lock (gate)
        {
            calls.Add((payload, message.Dup));
            held.Add((payload, done));
            outstanding++;
            maxOutstanding = Math.Max(maxOutstanding, outstanding);
        }

        return new ValueTask(done.Task);
    };

    public IReadOnlyList<(string Payload, bool Dup)> Calls
    {
        get
        {
            lock (gate)
            {
                return [.. calls];
            }
        }
    }

    public int Held
    {
        get
        {
            lock (gate)
            {
                return held.Count;
            }
        }
    }

    /// <summary>The most handler tasks that were pending at once.</summary>
    public int MaxOutstanding
    {
        get
        {
            lock (gate)
            {
                return maxOutstanding;
            }
        }
    }

    public Task WaitForHeldAsync(int count, TimeSpan timeout) =>
        Wait.UntilAsync(() => Held >= count, timeout, $"{count} handler calls pending (have {Held})");

    /// <summary>Completes every pending task in a seeded random order; <paramref name="fail"/> picks payloads whose task faults.</summary>
    public void CompleteAllShuffled(Random random, Func<string, bool>? fail = null)
    {
        (string Payload, TaskCompletionSource Done)[] now;
        lock (gate)
        {
            now = [.. held];
            held.Clear();
            outstanding -= now.Length;
        }

        random.Shuffle(now);
        foreach (var (payload, done) in now)
        {
            if (fail is not null && fail(payload)) done.SetException(new InvalidOperationException($"handler failed on {payload} (test)"));
            else done.SetResult();
        }
    }

    /// <summary>Sequence payloads "0".."count-1".</summary>
    public static byte[] Payload(int sequence) => Encoding.ASCII.GetBytes(sequence.ToString(CultureInfo.InvariantCulture));
}

/// <summary>What mosquitto's debug log says about one subscriber's QoS 1 flow, per connection of that client.</summary>
internal static partial class BrokerFlow
{
    public static readonly IReadOnlyList<string> DebugLogging = ["log_type debug", "max_inflight_messages 1000"];

    /// <summary>Per connection of <paramref name="clientId"/> (split at each "New client connected … as id"): the mids of the PUBLISH packets sent to it and of the PUBACKs received from it, in log order.</summary>
    public static List<(List<int> Published, List<int> Acknowledged)> Connections(IReadOnlyList<string> log, string clientId)
    {
        var result = new List<(List<int>, List<int>)>();
        foreach (var line in log)
        {
            if (line.EndsWith($" as {clientId}", StringComparison.Ordinal) || line.Contains($" as {clientId} (", StringComparison.Ordinal))
            {
                if (line.Contains("New client connected", StringComparison.Ordinal)) result.Add(([], []));
                continue;
            }

            if (result.Count == 0) continue;
            if (line.Contains($"Sending PUBLISH to {clientId} (", StringComparison.Ordinal) && SentMid().Match(line) is { Success: true } sent)
                result[^1].Item1.Add(int.Parse(sent.Groups[1].Value, CultureInfo.InvariantCulture));
            else if (line.Contains($"Received PUBACK from {clientId} (", StringComparison.Ordinal) && AckMid().Match(line) is { Success: true } ack)
                result[^1].Item2.Add(int.Parse(ack.Groups[1].Value, CultureInfo.InvariantCulture));
        }

        return result;
    }

    [GeneratedRegex(@", q1, r\d, m(\d+),")]
    private static partial Regex SentMid();

    [GeneratedRegex(@"\(Mid: (\d+),")]
    private static partial Regex AckMid();
}
