using System.Diagnostics;
using System.Globalization;
using System.Runtime.Versioning;
using EquipmentIoT.Protocols.Dicom;

namespace EquipmentIoT.Bench.Mpps;

/// <summary>
/// <c>eqiot-bench mpps</c>: MPPS associations per second through the agent's MppsAdapter. Target (the issue):
/// at least 100 associations/s. A measurement: exits 0 whatever the figures, 1 when a step failed, 2 on a bad
/// command line.
/// </summary>
internal static class MppsBenchCommand
{
    public const double TargetAssociationsPerSecond = 100;

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        MppsBenchOptions o;
        try
        {
            o = MppsBenchOptions.Parse(args);
        }
        catch (CommandLineException ex)
        {
            await Console.Error.WriteLineAsync($"eqiot-bench mpps: {ex.Message}").ConfigureAwait(false);
            return 2;
        }

        if (o.ShowHelp)
        {
            Console.WriteLine(MppsBenchOptions.Help);
            return 0;
        }

        if (!OperatingSystem.IsLinux())
        {
            await Console.Error.WriteLineAsync("eqiot-bench mpps: runs on Linux only (the agent's listener does)").ConfigureAwait(false);
            return 1;
        }

        try
        {
            await RunAllAsync(o, cancellationToken).ConfigureAwait(false);
            return 0;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("eqiot-bench mpps: cancelled").ConfigureAwait(false);
            return 130;
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or TimeoutException or DicomProtocolException
            or System.Net.Sockets.SocketException)
        {
            await Console.Error.WriteLineAsync($"eqiot-bench mpps: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    [SupportedOSPlatform("linux")]
    private static async Task RunAllAsync(MppsBenchOptions o, CancellationToken cancellationToken)
    {
        await using var listener = await BenchMppsListener.StartAsync(Math.Max(8, o.Parallel * 2), Math.Max(1000, o.Exams * 2), cancellationToken)
            .ConfigureAwait(false);
        Print($"mpps: MppsAdapter on 127.0.0.1:{listener.Port} (AE {BenchMppsListener.AeTitle}), events scrubbed (PhiScrubber, default policy) and counted; {Environment.ProcessorCount} cores");
        Print($"each association: DicomClient connects, N-CREATE IN PROGRESS, N-SET COMPLETED ({MppsAssociationRun.ImagesPerExam} images), release; clock stops when the sink has every exam.completed");

        // A short warm-up (JIT, thread pool), not counted.
        await MppsAssociationRun.RunAsync(listener, 1_000_000, Math.Min(50, o.Exams), 1, cancellationToken).ConfigureAwait(false);
        var cpu = CpuTime();
        var one = await MppsAssociationRun.RunAsync(listener, 1, o.Exams, 1, cancellationToken).ConfigureAwait(false);
        var cpuOne = (CpuTime() - cpu).TotalSeconds;
        Report($"  parallel 1", o.Exams, one, cpuOne);
        cpu = CpuTime();
        var many = await MppsAssociationRun.RunAsync(listener, o.Exams + 1, o.Exams, o.Parallel, cancellationToken).ConfigureAwait(false);
        var cpuMany = (CpuTime() - cpu).TotalSeconds;
        Report($"  parallel {o.Parallel}", o.Exams, many, cpuMany);
        Print($"    (CPU is SCU and listener together: both run in this process)");
        var counts = listener.Adapter.Counts;
        Print($"  listener counts: created {counts.Created:N0}, completed {counts.Completed:N0}, unmapped {counts.Unmapped:N0}, mapping failures {counts.MappingFailures:N0}; sink events {listener.Sink.Events:N0}");

        Print($"");
        Print($"reference: C-ECHO associations (connect, C-ECHO, release), {o.Echoes} one after another, against the same listener");
        var echoscu = await EchoAssociationRun.EchoscuAsync(listener.Port, o.Echoes, noDelay: false, cancellationToken).ConfigureAwait(false);
        Print($"  dcmtk echoscu (a process per association)  {o.Echoes / echoscu,8:N0} associations/s ({echoscu:0.00} s)");
        var noDelay = await EchoAssociationRun.EchoscuAsync(listener.Port, o.Echoes, noDelay: true, cancellationToken).ConfigureAwait(false);
        Print($"  the same with TCP_NODELAY=1                {o.Echoes / noDelay,8:N0} associations/s ({noDelay:0.00} s)");
        Print($"    (echoscu writes a P-DATA-TF as two writes, 12-byte header then the rest; with Nagle on, the second waits for the header's ACK: the listener acknowledges at once (TCP_QUICKACK), without which that wait is a ~40 ms delayed ACK)");
        var startOnly = await EchoAssociationRun.EchoscuStartOnlyAsync(Math.Min(o.Echoes, 50), cancellationToken).ConfigureAwait(false);
        var startMs = 1000 * startOnly / Math.Min(o.Echoes, 50);
        Print($"    echoscu start-up alone (refused connection): {startMs:0.0} ms a run; an association adds {1000 * echoscu / o.Echoes - startMs:0.0} ms ({1000 * noDelay / o.Echoes - startMs:0.0} ms with TCP_NODELAY=1)");
        var ours = await EchoAssociationRun.OursAsync(listener.Port, o.Echoes, cancellationToken).ConfigureAwait(false);
        Print($"  our DicomClient (one process)              {o.Echoes / ours,8:N0} associations/s ({ours:0.00} s)");
    }

    private static void Report(string label, int exams, double seconds, double cpuSeconds)
    {
        var rate = exams / seconds;
        Print($"{label,-14} {exams,7:N0} associations in {seconds,6:0.00} s = {rate,8:N0} associations/s, {1000 * seconds / exams:0.00} ms each, CPU {cpuSeconds * 1000 / exams:0.00} ms/association   {Verdict.AtLeast(rate, TargetAssociationsPerSecond, "associations/s")}");
    }

    private static TimeSpan CpuTime()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    private static void Print(FormattableString line) => Console.WriteLine(line.ToString(CultureInfo.InvariantCulture));
}
