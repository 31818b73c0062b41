using EquipmentIoT.IntegrationTests.Mqtt;
using EquipmentIoT.Testing;

namespace EquipmentIoT.IntegrationTests.Probe;

/// <summary>Runs <c>eqiot-agent probe …</c> as a child process.</summary>
internal static class ProbeProcess
{
    public static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);

    public static ChildProcess Start(params string[] arguments) => EqiotAgent.Start(["probe", .. arguments]);

    /// <summary>Runs the probe to its end: exit code, stdout lines, stderr tail.</summary>
    public static async Task<(int Exit, IReadOnlyList<string> Stdout, string Stderr)> RunAsync(params string[] arguments)
    {
        await using var process = Start(arguments);
        var exit = await process.WaitForExitAsync(ExitTimeout);
        return (exit, process.StdoutLines, process.StderrTail());
    }

    /// <summary>Waits until the probe printed its "-- listening" line (its port is open).</summary>
    public static Task WaitListeningAsync(ChildProcess process) =>
        Wait.UntilAsync(() =>
        {
            if (process.HasExited) throw new InvalidOperationException($"the probe exited early: {string.Join('\n', process.StdoutLines)}\n{process.StderrTail()}");
            return process.StdoutLines.Any(l => l.StartsWith("-- listening", StringComparison.Ordinal));
        }, TimeSpan.FromSeconds(30), "the probe to listen");
}
