using EquipmentIoT.Testing;

namespace EquipmentIoT.IntegrationTests.CloudProcess;

/// <summary>Runs the built cloud, <c>dotnet eqiot-cloud.dll …</c>, as a real child process (see <see cref="BuiltProgram"/>).</summary>
internal static class EqiotCloud
{
    public static string Dll { get; } = BuiltProgram.Dll("EqiotCloudDll", "eqiot-cloud.dll", "Cloud");

    public static ChildProcess Start(IEnumerable<string> arguments, Action<string>? onStderrLine = null,
        IReadOnlyDictionary<string, string?>? environment = null) =>
        ChildProcess.Start(BuiltProgram.DotnetHost, [Dll, .. arguments], environment: environment, onStderrLine: onStderrLine);

    /// <summary>Runs a command to its end; returns stdout, or throws with stderr when it fails.</summary>
    public static Task<string> RunAsync(params string[] arguments) => RunAsync(null, arguments);

    /// <summary>As <see cref="RunAsync(string[])"/>, with <paramref name="environment"/> added to the inherited one.</summary>
    public static async Task<string> RunAsync(IReadOnlyDictionary<string, string?>? environment, params string[] arguments)
    {
        await using var process = Start(arguments, environment: environment);
        var exit = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));
        if (exit != 0) throw new InvalidOperationException($"eqiot-cloud {string.Join(' ', arguments)} exited {exit}: {process.StderrTail()}");
        return string.Join('\n', process.StdoutLines);
    }
}
