using System.Buffers;
using System.Buffers.Text;
using EquipmentIoT.Protocols.Mqtt;
using EquipmentIoT.Protocols.Mqtt.Client;
using EquipmentIoT.Testing;

namespace EquipmentIoT.IntegrationTests.Mqtt;

/// <summary>Options for our client against a test broker, and the retry policy fault tests use.</summary>
internal static class TestClients
{
    /// <summary>Plain TCP to the broker's (or a proxy's) loopback port, with a fixed client id.</summary>
    public static MqttClientOptionsBuilder For(string host, int port, string clientId) =>
        new MqttClientOptionsBuilder().WithBroker(host, port).WithClientId(clientId);

    public static MqttClientOptionsBuilder For(MosquittoBroker broker, string clientId) => For(broker.Host, broker.Port, clientId);

    /// <summary>50 ms doubling to 1 s, seeded: reconnects within a test's time, reproducibly.</summary>
    public static MqttRetryPolicy FastRetry(int seed) =>
        new(TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(1), maxAttempts: 200, new Random(seed));

    /// <summary>Connects a client that records what it receives, and subscribes it to <paramref name="filter"/>.</summary>
    public static async Task<MqttClient> StartSubscriberAsync(MqttClientOptions options, MqttMessageHandler handler, string filter,
        MqttQualityOfService qos)
    {
        var client = new MqttClient(options) { MessageReceived = handler };
        try
        {
            await client.ConnectAsync();
            var granted = await client.SubscribeAsync(filter, qos);
            Assert.Equal((int)qos, (int)granted);
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }
}

/// <summary>Every message a client received, in arrival order; thread-safe.</summary>
internal sealed class MessageRecorder
{
    private readonly Lock gate = new();
    private readonly List<MqttApplicationMessage> messages = [];

    public MqttMessageHandler Handler => (message, _) =>
    {
        lock (gate)
        {
            messages.Add(message);
        }

        return ValueTask.CompletedTask;
    };

    public int Count
    {
        get
        {
            lock (gate)
            {
                return messages.Count;
            }
        }
    }

    public IReadOnlyList<MqttApplicationMessage> Messages
    {
        get
        {
            lock (gate)
            {
                return [.. messages];
            }
        }
    }

    public Task WaitForCountAsync(int count, TimeSpan timeout, string what) =>
        Wait.UntilAsync(() => Count >= count, timeout, $"{count} messages: {what} (have {Count})");
}

/// <summary>Payloads that carry a sequence number: 8 ASCII digits ("00012345").</summary>
internal static class SequencePayload
{
    public const int Length = 8;
    private static readonly StandardFormat Digits = new('D', Length);

    public static void Write(int sequence, Span<byte> destination)
    {
        if (!Utf8Formatter.TryFormat(sequence, destination, out var written, Digits) || written != Length)
            throw new ArgumentOutOfRangeException(nameof(sequence));
    }

    public static int? Read(ReadOnlySpan<byte> payload) =>
        payload.Length == Length && Utf8Parser.TryParse(payload, out int value, out var consumed) && consumed == Length ? value : null;
}

/// <summary>
/// Records sequence-numbered payloads 0..expected-1 as a subscriber receives them: how many arrived,
/// how many distinct, the duplicates, and whether they came in order.
/// </summary>
internal sealed class SequenceRecorder(int expected)
{
    private readonly Lock gate = new();
    private readonly int[] seen = new int[expected];
    private int total, distinct, outOfOrder, foreign, last = -1;

    public MqttMessageHandler Handler => (message, _) =>
    {
        var sequence = SequencePayload.Read(message.Payload.Span);
        lock (gate)
        {
            total++;
            if (sequence is not { } n || n < 0 || n >= seen.Length)
            {
                foreign++;
                return ValueTask.CompletedTask;
            }

            if (seen[n]++ == 0) distinct++;
            if (n != last + 1) outOfOrder++;
            last = n;
        }

        return ValueTask.CompletedTask;
    };

    public int Expected => seen.Length;

    public int Total => Read(() => total);

    public int Distinct => Read(() => distinct);

    /// <summary>Deliveries beyond the first of a sequence number.</summary>
    public int Duplicates => Read(() => total - foreign - distinct);

    /// <summary>Deliveries whose number was not the one after the previous delivery.</summary>
    public int OutOfOrder => Read(() => outOfOrder);

    /// <summary>Payloads that were not a sequence number in range.</summary>
    public int Foreign => Read(() => foreign);

    /// <summary>Whether <paramref name="sequence"/> was delivered at least once.</summary>
    public bool Seen(int sequence) => Read(() => seen[sequence] > 0);

    /// <summary>Sequence numbers delivered more than once.</summary>
    public int[] Repeated() => Read(() => seen.Select((count, n) => (count, n)).Where(x => x.count > 1).Select(x => x.n).ToArray());

    public string Describe() => Read(() =>
    {
        var missing = seen.Select((count, n) => (count, n)).Where(x => x.count == 0).Select(x => x.n).ToArray();
        return $"received {total}, distinct {distinct}/{seen.Length}, duplicates {total - foreign - distinct}, out of order {outOfOrder}, " +
            $"foreign {foreign}, missing {missing.Length} (first: {string.Join(", ", missing.Take(10))})";
    });

    public Task WaitForAllAsync(TimeSpan timeout) =>
        Wait.UntilAsync(() => Distinct == Expected, timeout, $"all {Expected} sequence numbers at the subscriber");

    private T Read<T>(Func<T> read)
    {
        lock (gate)
        {
            return read();
        }
    }
}

/// <summary>
/// Publishes payloads 0..count-1 keeping as many publishes outstanding as the client's in-flight window
/// allows: a ring of <see cref="MqttClientOptions.MaxInflight"/> ValueTasks, each awaited (oldest
/// first) before its slot and payload buffer are reused.
/// </summary>
internal static class SequencePublisher
{
    public static async Task PublishAsync(MqttClient client, string topic, int count, MqttQualityOfService qos,
        CancellationToken cancellationToken = default)
    {
        var window = client.Options.MaxInflight;
        var pending = new ValueTask[window];
        var buffers = new byte[window][];
        for (var i = 0; i < window; i++) buffers[i] = new byte[SequencePayload.Length];
        for (var sequence = 0; sequence < count; sequence++)
        {
            var slot = sequence % window;
            if (sequence >= window) await pending[slot];
            SequencePayload.Write(sequence, buffers[slot]);
#pragma warning disable CA2012 // each stored ValueTask is awaited exactly once, when the ring comes round to it
            pending[slot] = client.PublishAsync(topic, buffers[slot], qos, retain: false, cancellationToken);
#pragma warning restore CA2012
        }

        for (var sequence = Math.Max(0, count - window); sequence < count; sequence++)
            await pending[sequence % window];
    }
}
