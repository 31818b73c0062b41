using System.Diagnostics;
using System.Globalization;
using System.Runtime.Versioning;
using EquipmentIoT.EdgeAgent.Buffer;
using Microsoft.Extensions.Logging.Abstractions;

namespace EquipmentIoT.Bench.Buffer;

/// <summary>
/// <c>eqiot-bench buffer</c>: what the durable buffer does on this disk: raw fsync rate for reference,
/// durable append throughput (one producer = one fsync per batch; N producers = group commit), recovery
/// time of the result, and the drain rate of a backlog. A measurement: exits 0 whatever the figures,
/// 1 when a step failed, 2 on a bad command line.
/// </summary>
internal static class BufferBenchCommand
{
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        BufferBenchOptions options;
        try
        {
            options = BufferBenchOptions.Parse(args);
        }
        catch (CommandLineException ex)
        {
            await Console.Error.WriteLineAsync($"eqiot-bench buffer: {ex.Message}").ConfigureAwait(false);
            return 2;
        }

        if (options.ShowHelp)
        {
            Console.WriteLine(BufferBenchOptions.Help);
            return 0;
        }

        if (!OperatingSystem.IsLinux())
        {
            // The edge agent (and so its buffer) is Linux-only.
            await Console.Error.WriteLineAsync("eqiot-bench buffer: runs on Linux only").ConfigureAwait(false);
            return 1;
        }

        var root = Path.Combine(options.Directory ?? Path.GetTempPath(), "eqiot-bench-buffer-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        try
        {
            await RunAllAsync(options, root, cancellationToken).ConfigureAwait(false);
            return 0;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("eqiot-bench buffer: cancelled").ConfigureAwait(false);
            return 130;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync($"eqiot-bench buffer: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
        finally
        {
            if (!options.Keep) Directory.Delete(root, recursive: true);
        }
    }

    [SupportedOSPlatform("linux")]
    private static async Task RunAllAsync(BufferBenchOptions o, string root, CancellationToken cancellationToken)
    {
        var payload = Payload(o.BatchBytes);
        Print($"buffer in {root}; batches of {o.PointsPerBatch} points = {o.BatchBytes:N0} bytes; {Environment.ProcessorCount} cores");

        var raw = RawFsync(Path.Combine(root, "fsync-probe"), TimeSpan.FromSeconds(2));
        Print($"raw fsync (4 KiB write + fsync, 2 s): {raw:N0} fsync/s");

        if (o.SingleBatches > 0)
        {
            var single = await AppendAsync(Path.Combine(root, "single"), payload, o.SingleBatches, 1, cancellationToken).ConfigureAwait(false);
            Report($"durable append, 1 producer  ", single, o);
        }

        var dir = Path.Combine(root, "grouped");
        var grouped = await AppendAsync(dir, payload, o.Batches, o.Producers, cancellationToken).ConfigureAwait(false);
        Report($"durable append, {o.Producers} producers", grouped, o);

        var backlog = Math.Min(o.Batches, Math.Max(1, o.BacklogPoints / o.PointsPerBatch));
        var opened = Stopwatch.StartNew();
        var buffer = DurableBuffer.Open(Options(dir, payload.Length, o.Batches), TimeProvider.System, NullLogger<DurableBuffer>.Instance);
        await using (buffer.ConfigureAwait(false))
        {
            opened.Stop();
            var stats = buffer.GetStatistics().For(BufferStreams.Metrics);
            Print($"reopen (recovery scan of {stats.LastSeq:N0} batches, {stats.UsedBytes / 1048576.0:N0} MiB): {opened.Elapsed.TotalMilliseconds:N0} ms");
            var drain = Stopwatch.StartNew();
            long bytes = 0;
            for (var i = 0; i < backlog; i++)
            {
                var record = await buffer.ReadNextUnsentAsync(BufferStreams.Metrics, cancellationToken).ConfigureAwait(false);
                bytes += record.Payload.Length;
                buffer.Acknowledge(BufferStreams.Metrics, record.Seq);
            }

            drain.Stop();
            var perSecond = backlog / drain.Elapsed.TotalSeconds;
            Print($"drain (read next + acknowledge) of {backlog:N0} batches = {backlog * o.PointsPerBatch:N0} points: {perSecond:N0} batches/s = {perSecond * o.PointsPerBatch:N0} points/s, {bytes / 1048576.0 / drain.Elapsed.TotalSeconds:N0} MiB/s");
            Print($"  (the segments were just written, so reads mostly come from the page cache)");
        }
    }

    private sealed record AppendRun(long Batches, TimeSpan Elapsed, long Fsyncs);

    [SupportedOSPlatform("linux")]
    private static async Task<AppendRun> AppendAsync(string dir, byte[] payload, long batches, int producers, CancellationToken cancellationToken)
    {
        var buffer = DurableBuffer.Open(Options(dir, payload.Length, batches), TimeProvider.System, NullLogger<DurableBuffer>.Instance);
        await using (buffer.ConfigureAwait(false))
        {
            var gate = new object();
            long next = 0;
            var fsyncsBefore = buffer.GetStatistics().Fsyncs;
            var clock = Stopwatch.StartNew();
            // Seqs must reach the buffer in order: each producer takes the next seq and queues its append
            // under one lock, then waits for its own fsync outside it (as several sealers would).
            var tasks = Enumerable.Range(0, producers).Select(_ => Task.Run(async () =>
            {
                while (true)
                {
                    ValueTask<AppendResult> append;
                    lock (gate)
                    {
                        if (next == batches) return;
                        append = buffer.AppendAsync(BufferStreams.Metrics, ++next, payload, cancellationToken);
                    }

                    if (await append.ConfigureAwait(false) != AppendResult.Stored) throw new InvalidOperationException("the buffer refused a batch; raise its MaxBytes");
                }
            }, cancellationToken)).ToList();
            await Task.WhenAll(tasks).ConfigureAwait(false);
            clock.Stop();
            return new AppendRun(batches, clock.Elapsed, buffer.GetStatistics().Fsyncs - fsyncsBefore);
        }
    }

    [SupportedOSPlatform("linux")]
    private static BufferOptions Options(string dir, int payloadBytes, long batches) => new()
    {
        Directory = dir,
        MaxBytes = Math.Max(1L << 30, (batches + 16) * (payloadBytes + 64) * 2),
    };

    private static void Report(string label, AppendRun run, BufferBenchOptions o)
    {
        var seconds = run.Elapsed.TotalSeconds;
        var perSecond = run.Batches / seconds;
        Print($"{label}: {run.Batches:N0} batches in {seconds:N2} s = {perSecond:N0} batches/s = {perSecond * o.PointsPerBatch:N0} points/s; {run.Fsyncs / seconds:N0} fsync/s, {(double)run.Batches / Math.Max(1, run.Fsyncs):N1} batches per fsync");
    }

    // 4 KiB appended and fsynced in a loop: what one durable write costs on this disk.
    private static double RawFsync(string path, TimeSpan duration)
    {
        var block = new byte[4096];
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        var clock = Stopwatch.StartNew();
        long count = 0;
        while (clock.Elapsed < duration)
        {
            file.Write(block);
            file.Flush(flushToDisk: true);
            count++;
        }

        return count / clock.Elapsed.TotalSeconds;
    }

    // A signed batch's shape: base64url header.payload.signature, ASCII, fixed seed.
    private static byte[] Payload(int length)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        var random = new Random(42);
        var bytes = new byte[length];
        for (var i = 0; i < length; i++) bytes[i] = (byte)alphabet[random.Next(alphabet.Length)];
        if (length > 100)
        {
            bytes[36] = (byte)'.';
            bytes[length - 87] = (byte)'.';
        }

        return bytes;
    }

    private static void Print(FormattableString line) => Console.WriteLine(line.ToString(CultureInfo.InvariantCulture));
}
