using System.Diagnostics;
using System.Runtime.Versioning;
using EquipmentIoT.EdgeAgent.Adapters.Serial;
using EquipmentIoT.EdgeAgent.Collection;
using EquipmentIoT.Protocols.Serial;
using EquipmentIoT.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;

namespace EquipmentIoT.Bench.Serial;

/// <summary>What one run did.</summary>
/// <param name="Sent">Lines written to the master.</param>
/// <param name="Parsed">Lines the adapter's rule took (SerialAdapterStatistics.LinesOk).</param>
/// <param name="Metrics">Metric points in the sink.</param>
/// <param name="Bytes">Bytes written.</param>
/// <param name="Seconds">From the first write until the adapter had parsed the last line (or gave up waiting).</param>
/// <param name="CpuSeconds">CPU of this process meanwhile: writer and adapter together.</param>
/// <param name="Statistics">The adapter's counters at the end.</param>
[SupportedOSPlatform("linux")]
internal sealed record SerialRunResult(long Sent, long Parsed, long Metrics, long Bytes, double Seconds, double CpuSeconds, SerialAdapterStatistics Statistics)
{
    public long Lost => Sent - Parsed;
}

/// <summary>
/// A fresh <see cref="PseudoTerminal"/>; the agent's <see cref="SerialAdapter"/> reads its slave (opened as a
/// serial port at the given baud rate) into a <see cref="CountingSink"/>; this writes status lines to the master,
/// paced at a byte rate (in 10 ms slices) or as fast as the pty takes them.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class SerialLineRun
{
    private static readonly TimeSpan Slice = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(30);

    /// <param name="bytesPerSecond">The pace, or null for as fast as possible.</param>
    public static async Task<SerialRunResult> RunAsync(SerialProfile profile, int baud, long lines, double? bytesPerSecond, CancellationToken cancellationToken)
    {
        using var pty = PseudoTerminal.Open();
        var options = new SerialDeviceOptions { Port = pty.SlavePath, BaudRate = baud, SilenceTimeout = TimeSpan.FromMinutes(5) };
        var adapter = new SerialAdapter("ct-bench", options, profile, SystemClock.Instance, TimeProvider.System, NullLogger<SerialAdapter>.Instance);
        var sink = new CountingSink();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var running = Task.Run(() => adapter.RunAsync(sink, stop.Token), CancellationToken.None);
        try
        {
            // The port flushes its queues when it opens: write only once it is open.
            await Wait.UntilAsync(() => adapter.Status.State == AdapterState.Ok || running.IsCompleted, TimeSpan.FromSeconds(10),
                "the serial adapter to open the pty", cancellationToken).ConfigureAwait(false);
            if (running.IsCompleted) await running.ConfigureAwait(false);

            var cpu = CpuTime();
            var start = Stopwatch.GetTimestamp();
            long bytes = 0;
            for (long n = 0; n < lines; n++)
            {
                var line = StatusLines.Line(n);
                if (bytesPerSecond is { } pace)
                {
                    // Not ahead of the wire: this line's last byte is due at (bytes + length) / pace seconds.
                    var due = TimeSpan.FromSeconds((bytes + line.Length) / pace);
                    var ahead = due - Stopwatch.GetElapsedTime(start);
                    if (ahead > Slice) await Task.Delay(ahead, cancellationToken).ConfigureAwait(false);
                }

                await pty.Master.WriteAsync(line, cancellationToken).ConfigureAwait(false);
                bytes += line.Length;
            }

            await WaitParsedAsync(adapter, lines, cancellationToken).ConfigureAwait(false);
            var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            var cpuSeconds = (CpuTime() - cpu).TotalSeconds;
            var statistics = adapter.Statistics;
            return new SerialRunResult(lines, statistics.LinesOk, sink.Metrics, bytes, seconds, cpuSeconds, statistics);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await running.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopped as asked.
            }
        }
    }

    // Until every line is parsed, or nothing has moved for a second (lines lost): polled every millisecond.
    private static async Task WaitParsedAsync(SerialAdapter adapter, long lines, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp();
        var last = -1L;
        var lastMove = Stopwatch.GetTimestamp();
        while (true)
        {
            var s = adapter.Statistics;
            var seen = s.LinesOk + s.LinesUnmatched + s.OverlongLines + s.EncodingErrors + s.EmptyLines;
            if (seen >= lines) return;
            if (seen != last)
            {
                last = seen;
                lastMove = Stopwatch.GetTimestamp();
            }

            if (Stopwatch.GetElapsedTime(lastMove) > TimeSpan.FromSeconds(1) || Stopwatch.GetElapsedTime(deadline) > DrainTimeout) return;
            await Task.Delay(1, cancellationToken).ConfigureAwait(false);
        }
    }

    private static TimeSpan CpuTime()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }
}
