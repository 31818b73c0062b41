using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using EquipmentIoT.Bench.Mqtt;
using EquipmentIoT.Testing;

namespace EquipmentIoT.Bench.Footprint;

/// <summary>
/// <c>eqiot-bench agent-footprint</c>: the real agent's resident memory and CPU, idle and at 1,000 points/s.
/// Targets (the issue): RSS ≤ 40 MB idle; ≤ 5 % of one core at 1,000 points/s. A measurement: exits 0
/// whatever the figures, 1 when a phase broke, 2 on a bad command line.
/// </summary>
internal static class AgentFootprintCommand
{
    public const double IdleRssTargetMegabytes = 40;
    public const double LoadCpuTargetPercent = 5;
    private static readonly TimeSpan SamplePeriod = TimeSpan.FromSeconds(1);

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        AgentFootprintOptions o;
        AgentCommand command;
        try
        {
            o = AgentFootprintOptions.Parse(args);
            if (o.ShowHelp)
            {
                Console.WriteLine(AgentFootprintOptions.Help);
                return 0;
            }

            command = o.AgentBinary is not null
                ? AgentCommand.Binary(AgentLocator.Find(o.AgentBinary))
                : AgentCommand.Dll(AgentLocator.FindDll(o.AgentDll));
        }
        catch (CommandLineException ex)
        {
            await Console.Error.WriteLineAsync($"eqiot-bench agent-footprint: {ex.Message}").ConfigureAwait(false);
            return 2;
        }

        if (!OperatingSystem.IsLinux())
        {
            await Console.Error.WriteLineAsync("eqiot-bench agent-footprint: runs on Linux only (it reads /proc)").ConfigureAwait(false);
            return 1;
        }

        Print($"agent: {command.Label}; {o.Seconds} s per phase, the first {o.Warmup} s not measured; CLK_TCK {ProcFs.TicksPerSecond}; {Environment.ProcessorCount} cores; 1 MB = 1,048,576 bytes");
        if (o.AgentEnvironment.Count > 0)
            Print($"agent environment: {string.Join(' ', o.AgentEnvironment.Select(kv => $"{kv.Key}={kv.Value}"))}");
        if (o.AgentBinary is null)
        {
            Print($"  (for the trimmed self-contained agent: {AgentFootprintOptions.PublishCommand}, then --agent-binary /tmp/eqiot-agent-publish/eqiot-agent;");
            Print($"   {AgentFootprintOptions.PublishCaveat})");
        }

        try
        {
            await using var broker = await MosquittoBroker.StartAsync(new MosquittoOptions(), cancellationToken).ConfigureAwait(false);
            var results = new List<PhaseResult>();
            if (o.Idle) results.Add(await RunPhaseAsync("idle", "1 metric at 1 Hz", 1, FootprintAgent.IdleDevice(), command, broker, o, cancellationToken).ConfigureAwait(false));
            if (o.Load) results.Add(await RunPhaseAsync("load", "100 metrics every 100 ms", 1000, FootprintAgent.LoadDevice(), command, broker, o, cancellationToken).ConfigureAwait(false));

            Print($"");
            Print($"summary ({command.Label}):");
            foreach (var r in results)
            {
                var rss = r.Phase == "idle" ? "   " + Verdict.AtMost(r.RssMedianMegabytes, IdleRssTargetMegabytes, "MB (median)") : "";
                var cpu = r.Phase == "load" ? "   " + Verdict.AtMost(r.CpuPercent, LoadCpuTargetPercent, "%") : "";
                Print($"  {r.Phase,-5} RSS median {r.RssMedianMegabytes,5:0.0} MB, max {r.RssMaxMegabytes,5:0.0} MB{rss}; CPU {r.CpuPercent,5:0.00} % of one core{cpu}; {r.PointsPerSecond:N0} points/s delivered");
            }

            return results.All(r => r.Healthy) ? 0 : 1;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("eqiot-bench agent-footprint: cancelled").ConfigureAwait(false);
            return 130;
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or TimeoutException)
        {
            await Console.Error.WriteLineAsync($"eqiot-bench agent-footprint: {ex.Message}").ConfigureAwait(false);
            return 1;
        }
    }

    private sealed record PhaseResult(string Phase, double RssMedianMegabytes, double RssMaxMegabytes, double CpuPercent, double PointsPerSecond, bool Healthy);

    private static async Task<PhaseResult> RunPhaseAsync(string phase, string what, double expectedPointsPerSecond, JsonObject device,
        AgentCommand command, MosquittoBroker broker, AgentFootprintOptions o, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory($"eqiot-bench-footprint-{phase}-").FullName;
        try
        {
            Print($"");
            Print($"{phase}: one synthetic device, {what} (~{expectedPointsPerSecond:N0} points/s), in {directory}");
            await using var counter = await TelemetryCounter.StartAsync(broker, FootprintAgent.AgentId, FootprintAgent.PublicKeyFile(directory),
                cancellationToken).ConfigureAwait(false);
            await using var agent = await FootprintAgent.StartAsync(command, directory, device, broker, o.AgentEnvironment, cancellationToken).ConfigureAwait(false);
            Print($"  pid {agent.Pid}, connected {Stopwatch.GetElapsedTime(agent.StartTimestamp).TotalSeconds:0.00} s after start");

            // Measuring a process run by hand: the warm-up is a fixed span of its life, not a condition to wait for.
            var warmupLeft = TimeSpan.FromSeconds(o.Warmup) - Stopwatch.GetElapsedTime(agent.StartTimestamp);
            if (warmupLeft > TimeSpan.Zero) await Task.Delay(warmupLeft, cancellationToken).ConfigureAwait(false);

            var cpuBefore = ProcFs.ReadCpuTicks(agent.Pid) ?? throw new InvalidOperationException("the agent exited during the warm-up");
            var pointsBefore = counter.Points;
            var measureStart = Stopwatch.GetTimestamp();
            var samples = new List<MemoryReading>();
            using (var timer = new PeriodicTimer(SamplePeriod))
            {
                do
                {
                    samples.Add(ProcFs.ReadMemory(agent.Pid) ?? throw new InvalidOperationException("the agent exited while measured"));
                }
                while (Stopwatch.GetElapsedTime(agent.StartTimestamp).TotalSeconds < o.Seconds
                    && await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
            }

            var cpuAfter = ProcFs.ReadCpuTicks(agent.Pid) ?? throw new InvalidOperationException("the agent exited while measured");
            var wall = Stopwatch.GetElapsedTime(measureStart).TotalSeconds;
            var points = counter.Points - pointsBefore;
            var (exitCode, took) = await agent.StopAsync(cancellationToken).ConfigureAwait(false);
            if (o.Keep) await File.WriteAllLinesAsync(Path.Combine(directory, "agent.log"), agent.Log, cancellationToken).ConfigureAwait(false);

            var rss = samples.Select(s => s.RssKilobytes / 1024.0).Order().ToList();
            var median = rss.Count % 2 == 1 ? rss[rss.Count / 2] : (rss[(rss.Count / 2) - 1] + rss[rss.Count / 2]) / 2;
            var ticks = cpuAfter - cpuBefore;
            var cpuPercent = 100.0 * ticks / ProcFs.TicksPerSecond / wall;
            var pointsPerSecond = points / wall;
            var last = samples[^1];

            var rssVerdict = phase == "idle" ? "   " + Verdict.AtMost(median, IdleRssTargetMegabytes, "MB (median)") : "";
            var cpuVerdict = phase == "load" ? "   " + Verdict.AtMost(cpuPercent, LoadCpuTargetPercent, "%") : "";
            Print($"  VmRSS over {wall:0.0} s ({samples.Count} samples, 1/s): median {median:0.0} MB, min {rss[0]:0.0} MB, max {rss[^1]:0.0} MB{rssVerdict}");
            Print($"  VmHWM (peak since start, warm-up included) {last.PeakKilobytes / 1024.0:0.0} MB; {last.Threads} threads");
            Print($"  CPU: {ticks} ticks of 1/{ProcFs.TicksPerSecond} s (utime + stime) in {wall:0.00} s = {cpuPercent:0.00} % of one core{cpuVerdict}");
            Print($"  delivered and verified: {points:N0} points = {pointsPerSecond:N0} points/s ({counter.Batches:N0} batches in the whole run, {counter.Failures} failed to verify{(counter.LastFailure is { } f ? ": " + f : "")})");
            Print($"  SIGTERM: exit code {exitCode} after {took.TotalSeconds:0.00} s");

            // A footprint of an agent that does not deliver what it was asked to is no footprint: flag it.
            var healthy = exitCode == 0 && counter.Failures == 0 && pointsPerSecond >= expectedPointsPerSecond * 0.8;
            if (!healthy) Print($"  PHASE BROKEN: expected ~{expectedPointsPerSecond:N0} points/s delivered, a clean exit and no verification failure; agent log tail:\n{string.Join('\n', agent.Log.TakeLast(15))}");
            return new PhaseResult(phase, median, rss[^1], cpuPercent, pointsPerSecond, healthy);
        }
        finally
        {
            if (!o.Keep) Directory.Delete(directory, recursive: true);
        }
    }

    private static void Print(FormattableString line) => Console.WriteLine(line.ToString(CultureInfo.InvariantCulture));
}
