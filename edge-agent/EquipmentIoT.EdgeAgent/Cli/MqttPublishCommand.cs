using System.Buffers;
using System.Diagnostics;
using System.IO.Pipelines;
using System.Text;
using EquipmentIoT.Protocols.Mqtt;
using EquipmentIoT.Protocols.Mqtt.Client;

namespace EquipmentIoT.EdgeAgent.Cli;

/// <summary><c>eqiot agent mqtt pub</c>: publish one message, a file, or one message per stdin line.</summary>
internal static class MqttPublishCommand
{
    public const string Help = """
        eqiot agent mqtt pub -t TOPIC (-m MESSAGE | -f FILE | -l | -s | -n) [options]
          -m MESSAGE     one message                    -f FILE      the file as one message
          -l             one message per line of stdin (blank lines are skipped)
          -s             all of stdin as one message    -n           an empty message
          -r             retain                         --max-inflight N   QoS 1/2 window (20)
          --stats        print messages/s, bytes allocated per message and peak RSS on stderr
        """;

    public static async Task<int> RunAsync(MqttToolOptions o, CancellationToken cancellationToken)
    {
        var topic = o.Topics[0];
        await using var client = new MqttClient(o.ToClientOptions("eqiot-pub"));
        MqttToolConsole.AttachDebug(client, o.Debug);
        await client.ConnectAsync(cancellationToken).ConfigureAwait(false);

        long count;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        if (o.Lines)
        {
            count = await PublishLinesAsync(client, topic, o, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            ReadOnlyMemory<byte> payload = o.Message is not null ? Encoding.UTF8.GetBytes(o.Message)
                : o.File is not null ? await File.ReadAllBytesAsync(o.File, cancellationToken).ConfigureAwait(false)
                : o.Stdin ? await ReadAllStdinAsync(cancellationToken).ConfigureAwait(false)
                : ReadOnlyMemory<byte>.Empty;
            await client.PublishAsync(topic, payload, o.Qos, o.Retain, cancellationToken).ConfigureAwait(false);
            count = 1;
        }
        var elapsed = clock.Elapsed;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        await client.DisconnectAsync(cancellationToken).ConfigureAwait(false);
        if (o.Stats)
        {
            var rate = count / Math.Max(elapsed.TotalSeconds, 1e-9);
            await Console.Error.WriteLineAsync(
                $"stats: messages={count} seconds={elapsed.TotalSeconds:0.000} msg_per_s={rate:0} " +
                $"alloc_bytes_per_msg={(double)allocated / Math.Max(count, 1):0.0} peak_rss_mb={PeakRssMegabytes():0.0}").ConfigureAwait(false);
        }
        return 0;
    }

    /// <summary>
    /// Publishes each stdin line. QoS 0 publishes straight from the read buffer (the client copies it
    /// into its socket queue before returning); QoS 1/2 copy each line into a pooled buffer that is
    /// returned on acknowledgement, keeping up to the in-flight window outstanding.
    /// </summary>
    private static async Task<long> PublishLinesAsync(MqttClient client, string topic, MqttToolOptions o, CancellationToken cancellationToken)
    {
        var reader = PipeReader.Create(Console.OpenStandardInput(), new StreamPipeReaderOptions(bufferSize: 64 * 1024));
        var window = o.MaxInflight;
        var pending = new ValueTask[window];
        var buffers = new byte[]?[window];
        var pool = new Stack<byte[]>();
        int head = 0, outstanding = 0;
        long count = 0;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            while (TryTakeLine(ref buffer, result.IsCompleted, out var line))
            {
                if (line.IsEmpty) continue;
                count++;
                if (o.Qos == MqttQualityOfService.AtMostOnce)
                {
                    var single = line.IsSingleSegment ? line.First : line.ToArray();
                    var vt = client.PublishAsync(topic, single, o.Qos, o.Retain, cancellationToken);
                    if (!vt.IsCompletedSuccessfully) await vt.ConfigureAwait(false);
                    continue;
                }
                if (outstanding == window)
                {
                    await pending[head].ConfigureAwait(false);
                    if (buffers[head] is { Length: <= 4096 } done) pool.Push(done);
                    outstanding--;
                }
                var length = (int)line.Length;
                var copy = length <= 4096 ? (pool.Count > 0 ? pool.Pop() : new byte[4096]) : new byte[length];
                line.CopyTo(copy);
                buffers[head] = copy;
                // Each stored ValueTask is awaited exactly once, when the ring comes round to it.
#pragma warning disable CA2012
                pending[head] = client.PublishAsync(topic, copy.AsMemory(0, length), o.Qos, o.Retain, cancellationToken);
#pragma warning restore CA2012
                head = (head + 1) % window;
                outstanding++;
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted) break;
        }
        await reader.CompleteAsync().ConfigureAwait(false);
        for (var tail = (head - outstanding + window) % window; outstanding > 0; outstanding--)
        {
            await pending[tail].ConfigureAwait(false);
            tail = (tail + 1) % window;
        }
        return count;
    }

    private static bool TryTakeLine(ref ReadOnlySequence<byte> buffer, bool final, out ReadOnlySequence<byte> line)
    {
        if (buffer.PositionOf((byte)'\n') is { } end)
        {
            line = buffer.Slice(0, end);
            buffer = buffer.Slice(buffer.GetPosition(1, end));
        }
        else if (final && !buffer.IsEmpty)
        {
            line = buffer;
            buffer = buffer.Slice(buffer.End);
        }
        else
        {
            line = default;
            return false;
        }
        if (!line.IsEmpty && line.Slice(line.Length - 1).FirstSpan[0] == '\r') line = line.Slice(0, line.Length - 1);
        return true;
    }

    private static async Task<byte[]> ReadAllStdinAsync(CancellationToken cancellationToken)
    {
        using var memory = new MemoryStream();
        await Console.OpenStandardInput().CopyToAsync(memory, cancellationToken).ConfigureAwait(false);
        return memory.ToArray();
    }

    internal static double PeakRssMegabytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                return double.Parse(line[6..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) / 1024;
        return double.NaN;
    }
}
