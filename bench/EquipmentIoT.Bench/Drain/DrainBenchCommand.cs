using System.Globalization;
using System.Runtime.Versioning;
using EquipmentIoT.Bench.Telemetry;
using EquipmentIoT.EdgeAgent.Buffer;
using EquipmentIoT.Protocols.Telemetry.Topics;
using EquipmentIoT.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace EquipmentIoT.Bench.Drain;

/// <summary>
/// <c>eqiot-bench drain</c>: how fast the agent empties a backlog into a broker. Builds the backlog as the
/// agent would (sealed batches, durable appends), drains it with the agent's Forwarder and
/// MqttBrokerTransport to a real mosquitto, and runs mosquitto_pub over the same bytes for reference.
/// Target (the issue): drain ≥ 150,000 points/s after a backlog of 1,000,000 points. A measurement: exits
/// 0 whatever the figures, 1 when a step failed, 2 on a bad command line.
/// </summary>
internal static class DrainBenchCommand
{
    public const double DrainTargetPointsPerSecond = 150_000;
    public const double AppendTargetPointsPerSecond = 100_000;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        DrainBenchOptions o;
        try
        {
            o = DrainBenchOptions.Parse(args);
        }
        catch (CommandLineException ex)
        {
            await Console.Error.WriteLineAsync($"eqiot-bench drain: {ex.Message}").ConfigureAwait(false);
            return 2;
        }

        if (o.ShowHelp)
        {
            Console.WriteLine(DrainBenchOptions.Help);
            return 0;
        }

        if (!OperatingSystem.IsLinux())
        {
            await Console.Error.WriteLineAsync("eqiot-bench drain: runs on Linux only (the agent's buffer does)").ConfigureAwait(false);
            return 1;
        }

        var root = Path.Combine(o.Directory ?? Path.GetTempPath(), "eqiot-bench-drain-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        try
        {
            return await RunAllAsync(o, root, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("eqiot-bench drain: cancelled").ConfigureAwait(false);
            return 130;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or TimeoutException)
        {
            await Console.Error.WriteLineAsync($"eqiot-bench drain: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
        finally
        {
            if (!o.Keep) Directory.Delete(root, recursive: true);
        }
    }

    [SupportedOSPlatform("linux")]
    private static async Task<int> RunAllAsync(DrainBenchOptions o, string root, CancellationToken cancellationToken)
    {
        // Generous: a minute plus 20 ms per batch (50 batches/s, far below anything seen).
        var timeout = TimeSpan.FromSeconds(60) + TimeSpan.FromMilliseconds(20.0 * o.Batches);
        var linesFile = Path.Combine(root, "batches.jws.txt");
        var bufferOptions = new BufferOptions
        {
            Directory = Path.Combine(root, "buffer"),
            // Room for the whole backlog: ~120 bytes of JWS per point, twice over.
            MaxBytes = Math.Max(1L << 30, o.Points * 256),
        };

        await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions(), cancellationToken).ConfigureAwait(false);
        var buffer = DurableBuffer.Open(bufferOptions, TimeProvider.System, NullLogger<DurableBuffer>.Instance);
        await using (buffer.ConfigureAwait(false))
        {
            Print($"drain: {o.Points:N0} points in {o.Batches:N0} batches of {o.PointsPerBatch} points, window {o.Window}, mosquitto on 127.0.0.1:{broker.Port}, buffer in {root}; {Environment.ProcessorCount} cores");
            var backlog = await DrainBacklog.BuildAsync(buffer, o, linesFile, cancellationToken).ConfigureAwait(false);
            ReportBacklog(backlog);

            var agent = await AgentDrainRun.RunAsync(broker, buffer, o, root, timeout, cancellationToken).ConfigureAwait(false);
            Print($"");
            Print($"agent: Forwarder (read-ahead {Math.Max(2, o.Window * 2)}) + MqttBrokerTransport (MaxInflight {o.Window}), QoS 1; clock from starting the forwarder, connect included ({agent.Connected * 1000:N0} ms)");
            ReportRate("  all acknowledged in the buffer (PUBACK)", agent.Acknowledged, backlog, DrainTargetPointsPerSecond);
            ReportReceived("  all received by mosquitto_sub (QoS 1)", agent.Received, agent.Delivered, backlog);

            var reference = await ReferenceDrainRun.RunAsync(broker, TelemetryTopics.Telemetry(SampleBatches.AgentId), linesFile, backlog.Batches,
                o.Window, timeout, cancellationToken).ConfigureAwait(false);
            Print($"");
            Print($"reference: mosquitto_pub -l -q 1 -M {o.Window}, the same {backlog.Batches:N0} JWS lines to the same broker; clock from starting it (process start-up and connect included)");
            ReportRate("  mosquitto_pub exited (all PUBACKs in)", reference.Exited, backlog, null);
            ReportReceived("  all received by mosquitto_sub (QoS 1)", reference.Received, reference.Delivered, backlog);
            Print($"  mosquitto_pub peak RSS {reference.PeakRssMegabytes:0.0} MB");
            if (reference.Failure is not null) Print($"  reference run FAILED: {reference.Failure}");

            Print($"");
            Print($"agent / mosquitto_pub: acknowledged vs exited {reference.Exited / agent.Acknowledged:0.00}x, received {reference.Received / agent.Received:0.00}x (above 1 = the agent is faster)");
            return agent.Delivered == backlog.Batches && reference.Failure is null ? 0 : 1;
        }
    }

    private static void ReportBacklog(Backlog b)
    {
        var perPoint = (double)b.JwsBytes / b.Points;
        Print($"backlog: {b.Batches:N0} batches, {b.JwsBytes / 1048576.0:N1} MiB of JWS ({b.JwsBytes / b.Batches:N0} B/batch, {perPoint:0.0} B/point); one batch at a time as BatchSealer: seal, append, wait for its fsync");
        ReportRate("  seal + durable append", b.Total.TotalSeconds, b, null);
        ReportRate("  seal alone (TelemetryEnvelope.Seal)", b.Seal.TotalSeconds, b, null);
        ReportRate("  durable append alone (1 producer)", b.Append.TotalSeconds, b, AppendTargetPointsPerSecond);
        Print($"    (the append target is eqiot-bench buffer's, measured there with 4 producers and group commit)");
    }

    private static void ReportRate(string label, double seconds, Backlog b, double? targetPointsPerSecond)
    {
        var batches = b.Batches / seconds;
        var points = b.Points / seconds;
        var verdict = targetPointsPerSecond is { } target ? "   " + Verdict.AtLeast(points, target, "points/s") : "";
        Print($"{label,-44} {seconds,8:0.000} s = {batches,8:N0} batches/s = {points,10:N0} points/s{verdict}");
    }

    private static void ReportReceived(string label, double seconds, long delivered, Backlog b)
    {
        if (delivered < b.Batches || double.IsNaN(seconds))
        {
            Print($"{label,-44} only {delivered:N0} of {b.Batches:N0} batches arrived");
            return;
        }

        ReportRate(label, seconds, b, DrainTargetPointsPerSecond);
    }

    private static void Print(FormattableString line) => Console.WriteLine(line.ToString(CultureInfo.InvariantCulture));
}
