using System.Reflection;
using EquipmentIoT.Testing;

namespace EquipmentIoT.IntegrationTests;

/// <summary>
/// Where our built programs are: the dll the ProjectReference built in this configuration (its path is
/// compiled into this assembly by the csproj) and the dotnet host that runs the tests.
/// </summary>
internal static class BuiltProgram
{
    public static string DotnetHost { get; } = FindHost();

    /// <summary>The dll recorded under <paramref name="metadataKey"/>; fails with how to fix it.</summary>
    public static string Dll(string metadataKey, string fileName, string project)
    {
        var path = typeof(BuiltProgram).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == metadataKey)?.Value;
        if (string.IsNullOrEmpty(path) || !File.Exists(path))
            throw new InvalidOperationException($"{fileName} not found at '{path}': build the solution (the test project references the {project} project)");
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
