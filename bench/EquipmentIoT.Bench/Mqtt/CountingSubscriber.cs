using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using EquipmentIoT.Testing;

namespace EquipmentIoT.Bench.Mqtt;

/// <summary>
/// <c>mosquitto_sub -t topic -q qos -C count</c> whose stdout is read in 64 KiB blocks, its lines
/// counted and the bytes thrown away (the harness's <see cref="ChildProcess"/> would keep every line:
/// 200,000 payloads as strings). Records when the last block arrived: the delivery clock stops there.
/// </summary>
internal sealed class CountingSubscriber : IAsyncDisposable
{
    private static readonly TimeSpan SubscribeTimeout = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly Task _stdout;
    private readonly Task<string> _stderr;
    private long _lines;
    private long _lastDataTimestamp;

    private CountingSubscriber(Process process)
    {
        _process = process;
        _stdout = Task.Run(CountLinesAsync);
        _stderr = process.StandardError.ReadToEndAsync();
    }

    /// <summary>Messages received so far (one line each: the payloads hold no newline).</summary>
    public long Lines => Interlocked.Read(ref _lines);

    /// <summary><see cref="Stopwatch.GetTimestamp"/> when the last output arrived (0 before any).</summary>
    public long LastDataTimestamp => Interlocked.Read(ref _lastDataTimestamp);

    /// <summary>True once mosquitto_sub closed its stdout (it exits after <c>-C</c> messages).</summary>
    public bool Finished => _stdout.IsCompleted;

    /// <summary>Starts the subscriber and returns once the broker logged the subscription as in place.</summary>
    public static async Task<CountingSubscriber> StartAsync(MosquittoBroker broker, string topic, int qos, long count, CancellationToken cancellationToken)
    {
        var clientId = "eqiot-bench-sub-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var start = new ProcessStartInfo(ExternalTool.MosquittoSub)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in MosquittoClients.ConnectionArguments(broker)
            .Concat(["-i", clientId, "-t", topic, "-q", Text(qos), "-C", Text(count)]))
        {
            start.ArgumentList.Add(argument);
        }

        var subscriber = new CountingSubscriber(Process.Start(start) ?? throw new InvalidOperationException("mosquitto_sub did not start"));
        try
        {
            await Wait.UntilAsync(() => IsSubscribed(broker, subscriber, clientId, topic), SubscribeTimeout,
                $"{clientId} to subscribe to {topic}", cancellationToken).ConfigureAwait(false);
            return subscriber;
        }
        catch
        {
            await subscriber.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Waits until mosquitto_sub has exited and its output is drained; returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        await _stdout.WaitAsync(cancellationToken).ConfigureAwait(false);
        await _process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        return _process.ExitCode;
    }

    /// <summary>Stops a subscriber that is still waiting for messages that will not come.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        await _stdout.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>mosquitto_sub's stderr, once it has exited.</summary>
    public Task<string> StderrAsync() => _stderr;

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync().ConfigureAwait(false);
        await Task.WhenAll(_stdout, _stderr).ConfigureAwait(false);
        _process.Dispose();
    }

    private async Task CountLinesAsync()
    {
        var stream = _process.StandardOutput.BaseStream;
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await stream.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            Interlocked.Add(ref _lines, buffer.AsSpan(0, read).Count((byte)'\n'));
            Interlocked.Exchange(ref _lastDataTimestamp, Stopwatch.GetTimestamp());
        }
    }

    private static bool IsSubscribed(MosquittoBroker broker, CountingSubscriber subscriber, string clientId, string topic)
    {
        if (broker.Log.Any(line => MosquittoClients.IsSubscribeLine(line, clientId, topic)))
        {
            return true;
        }

        if (subscriber._process.HasExited)
        {
            var stderr = subscriber._stderr.IsCompletedSuccessfully ? subscriber._stderr.Result.Trim() : "";
            throw new InvalidOperationException($"mosquitto_sub exited ({subscriber._process.ExitCode}) before subscribing: {stderr}");
        }

        return false;
    }

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
