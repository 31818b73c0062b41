using EquipmentIoT.Testing;

namespace EquipmentIoT.IntegrationTests.CloudProcess;

/// <summary>Runs the built cloud, <c>dotnet eqiot-cloud.dll …</c>, as a real child process (see <see cref="BuiltProgram"/>).</summary>
internal static class EqiotCloud
{
    public static string Dll { get; } = BuiltProgram.Dll("EqiotCloudDll", "eqiot-cloud.dll", "Cloud");

    public static ChildProcess Start(IEnumerable<string> arguments, Action<string>? onStderrLine = null) =>
        ChildProcess.Start(BuiltProgram.DotnetHost, [Dll, .. arguments], onStderrLine: onStderrLine);

    /// <summary>Runs a command to its end; returns stdout, or throws with stderr when it fails.</summary>
    public static async Task<string> RunAsync(params string[] arguments)
    {
        await using var process = Start(arguments);
        var exit = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));
        if (exit != 0) throw new InvalidOperationException($"eqiot-cloud {string.Join(' ', arguments)} exited {exit}: {process.StderrTail()}");
        return string.Join('\n', process.StdoutLines);
    }
}
