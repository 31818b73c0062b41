using System.Reflection;
using EquipmentIoT.Testing;

namespace EquipmentIoT.IntegrationTests.Mqtt;

/// <summary>
/// Runs the built field tool, <c>dotnet eqiot-agent.dll …</c>, as a real child process. The dll is the
/// one the ProjectReference built in this configuration (its path is compiled into this assembly by
/// the csproj); the host is the dotnet that runs the tests.
/// </summary>
internal static class EqiotAgent
{
    public static string Dll { get; } = FindDll();

    public static string DotnetHost { get; } = FindHost();

    public static ChildProcess Start(IEnumerable<string> arguments) => ChildProcess.Start(DotnetHost, [Dll, .. arguments]);

    private static string FindDll()
    {
        var path = typeof(EqiotAgent).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "EqiotAgentDll")?.Value;
        if (string.IsNullOrEmpty(path) || !File.Exists(path))
            throw new InvalidOperationException(
                $"eqiot-agent.dll not found at '{path}': build the solution (the test project references the EdgeAgent project)");
        return path;
    }

    private static string FindHost()
    {
        // The dotnet CLI tells the processes it starts where it lives; the test host itself may be it too.
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } fromCli && File.Exists(fromCli)) return fromCli;
        if (Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet") return self;
        return ExternalTool.Require("dotnet", "dotnet-sdk-10.0");
    }
}
