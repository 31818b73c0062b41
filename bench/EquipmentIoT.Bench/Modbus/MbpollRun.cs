using System.Diagnostics;
using System.Globalization;
using EquipmentIoT.Bench.Footprint;
using EquipmentIoT.Testing;

namespace EquipmentIoT.Bench.Modbus;

/// <summary>
/// Debian's mbpoll polling continuously at its fastest setting (<c>-l 10</c>: it refuses a poll rate under
/// 10 ms, and sleeps that long after each poll), counted by its "[ref]: value" output lines. Run under
/// <c>stdbuf -oL</c> so that stopping it (SIGTERM) loses no buffered line.
/// </summary>
internal static class MbpollRun
{
    public const int PollRateMilliseconds = 10;

    public static string[] Arguments(int port, int registers) =>
        ["-m", "tcp", "-p", Invariant(port), "-a", "1", "-t", "4", "-r", "1", "-c", Invariant(registers), "-l", Invariant(PollRateMilliseconds), "-o", "1", "127.0.0.1"];

    public static async Task<PollResult> RunAsync(int port, int registers, TimeSpan duration, CancellationToken cancellationToken)
    {
        var mbpoll = ExternalTool.Require("mbpoll", "mbpoll");
        var stdbuf = ExternalTool.Require("stdbuf", "coreutils");
        long values = 0;
        var start = Stopwatch.GetTimestamp();
        var process = ChildProcess.Start(stdbuf, ["-oL", mbpoll, .. Arguments(port, registers)], onStdoutLine: line =>
        {
            if (line.Length > 1 && line[0] == '[' && line.Contains("]:", StringComparison.Ordinal)) Interlocked.Increment(ref values);
        });
        await using (process.ConfigureAwait(false))
        {
            await Task.Delay(duration, cancellationToken).ConfigureAwait(false);
            var cpu = ProcFs.ReadCpuTicks(process.Id);
            process.Kill(Signal.Term);
            var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            await process.WaitForExitAsync(TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
            var counted = Interlocked.Read(ref values);
            if (counted == 0) throw new InvalidOperationException($"mbpoll printed no register: {string.Join(" | ", process.StdoutLines.TakeLast(3))} {process.StderrTail(3)}");
            var polls = counted / registers;
            return new PollResult(polls, polls * registers, seconds, cpu is { } ticks ? ticks / (double)ProcFs.TicksPerSecond : double.NaN);
        }
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
