using System.Globalization;
using System.Runtime.Versioning;
using EquipmentIoT.EdgeAgent.Adapters.Serial;
using EquipmentIoT.EdgeAgent.Profiles;
using EquipmentIoT.Protocols.Serial;

namespace EquipmentIoT.Bench.Serial;

/// <summary>
/// <c>eqiot-bench serial</c>: CT status lines through a pseudo-terminal into the agent's SerialAdapter, paced at
/// the baud rate's line rate and unpaced. Target (the issue): no line lost at 115200 baud. A measurement: exits 0
/// whatever the figures, 1 when a step failed, 2 on a bad command line.
/// </summary>
internal static class SerialBenchCommand
{
    public const string ProfileName = "ct-serial-mpps";

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        SerialBenchOptions o;
        try
        {
            o = SerialBenchOptions.Parse(args);
        }
        catch (CommandLineException ex)
        {
            await Console.Error.WriteLineAsync($"eqiot-bench serial: {ex.Message}").ConfigureAwait(false);
            return 2;
        }

        if (o.ShowHelp)
        {
            Console.WriteLine(SerialBenchOptions.Help);
            return 0;
        }

        if (!OperatingSystem.IsLinux())
        {
            await Console.Error.WriteLineAsync("eqiot-bench serial: runs on Linux only (the serial ports do)").ConfigureAwait(false);
            return 1;
        }

        try
        {
            return await RunAllAsync(o, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("eqiot-bench serial: cancelled").ConfigureAwait(false);
            return 130;
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or TimeoutException or SerialCommunicationException)
        {
            await Console.Error.WriteLineAsync($"eqiot-bench serial: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    [SupportedOSPlatform("linux")]
    private static async Task<int> RunAllAsync(SerialBenchOptions o, CancellationToken cancellationToken)
    {
        var loaded = new ProfileCatalog(Path.GetFullPath, siteDirectory: null).Load(ProfileName);
        if (!loaded.Success || loaded.Profile!.Serial is null)
        {
            await Console.Error.WriteLineAsync($"eqiot-bench serial: {string.Join("; ", loaded.Describe())}{(loaded.Success ? "; it has no serial section" : "")}")
                .ConfigureAwait(false);
            return 1;
        }

        var profile = loaded.Profile.Serial;
        var lineBytes = Enumerable.Range(0, 1000).Average(n => StatusLines.Line(n).Length);
        Print($"serial: CT status lines ({lineBytes:0.0} bytes on average, e.g. '{System.Text.Encoding.ASCII.GetString(StatusLines.Line(60)).TrimEnd()}')");
        Print($"  written to our PseudoTerminal's master, read from its slave by SerialAdapter with the shipped profile {loaded.File} (serial section), into a counting sink; {Environment.ProcessorCount} cores");
        Print($"  NOTE: a pty has no baud rate: the kernel moves bytes as fast as they are written; {o.Baud} baud is only set on the port and paced by the writer");

        // A short unpaced run first, not reported: JIT and the thread pool stay out of the paced run's CPU.
        await SerialLineRun.RunAsync(profile, o.Baud, 2_000, null, cancellationToken).ConfigureAwait(false);
        var paced = (long)Math.Floor(o.PacedSeconds * o.BytesPerSecond / lineBytes);
        var ok = true;
        if (paced > 0)
        {
            var r = await SerialLineRun.RunAsync(profile, o.Baud, paced, o.BytesPerSecond, cancellationToken).ConfigureAwait(false);
            Print($"");
            Print($"paced at {o.Baud} baud 8N1 = {o.BytesPerSecond:N0} bytes/s (= {o.BytesPerSecond / lineBytes:N0} lines/s), {o.PacedSeconds} s:");
            Report(r);
            Print($"  lost lines {r.Lost:N0}   target = 0 at {o.Baud} baud: {(r.Lost == 0 ? "PASS" : "FAIL")}");
            ok &= r.Lost == 0;
        }

        var fast = await SerialLineRun.RunAsync(profile, o.Baud, o.Lines, null, cancellationToken).ConfigureAwait(false);
        Print($"");
        Print($"unpaced, as fast as the pty takes them (writes block while the slave's input queue is full):");
        Report(fast);
        Print($"  lost lines {fast.Lost:N0}; {fast.Bytes / fast.Seconds / o.BytesPerSecond:0.0}x the byte rate of {o.Baud} baud");
        return ok ? 0 : 1;
    }

    [SupportedOSPlatform("linux")]
    private static void Report(SerialRunResult r)
    {
        var s = r.Statistics;
        Print($"  sent {r.Sent,9:N0} lines ({r.Bytes / 1048576.0:0.00} MiB), parsed {r.Parsed,9:N0}, metrics in the sink {r.Metrics:N0}; unmatched {s.LinesUnmatched}, overlong {s.OverlongLines}, encoding errors {s.EncodingErrors}, partial {s.PartialLines}");
        Print($"  {r.Seconds,7:0.00} s = {r.Parsed / r.Seconds,9:N0} lines/s; CPU {r.CpuSeconds:0.00} s = {r.CpuSeconds * 1e6 / Math.Max(1, r.Parsed):0.0} us/line (writer and adapter, one process)");
    }

    private static void Print(FormattableString line) => Console.WriteLine(line.ToString(CultureInfo.InvariantCulture));
}
