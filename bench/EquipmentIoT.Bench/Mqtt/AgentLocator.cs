namespace EquipmentIoT.Bench.Mqtt;

/// <summary>Finds the eqiot-agent to measure: the one given, or this repository's Release build.</summary>
internal static class AgentLocator
{
    private static readonly string ReleaseDirectory = Path.Combine("edge-agent", "EquipmentIoT.EdgeAgent", "bin", "Release", "net10.0");

    /// <summary>The apphost executable (<c>eqiot-agent</c>).</summary>
    /// <exception cref="CommandLineException">Not found; the message says how to build it.</exception>
    public static string Find(string? given) => Find(given, "eqiot-agent", "--agent");

    /// <summary>The framework-dependent assembly (<c>eqiot-agent.dll</c>), to run as <c>dotnet eqiot-agent.dll</c>.</summary>
    /// <exception cref="CommandLineException">Not found; the message says how to build it.</exception>
    public static string FindDll(string? given) => Find(given, "eqiot-agent.dll", "--agent-dll");

    private static string Find(string? given, string fileName, string option)
    {
        if (given is not null)
        {
            return File.Exists(given) ? Path.GetFullPath(given) : throw new CommandLineException($"{option} {given}: no such file");
        }

        var releaseBuild = Path.Combine(ReleaseDirectory, fileName);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, releaseBuild);
            if (File.Exists(candidate)) return candidate;
            if (File.Exists(Path.Combine(dir.FullName, "EquipmentIoT.sln")))
            {
                throw new CommandLineException(
                    $"{candidate} not found: build it first (dotnet build -c Release edge-agent/EquipmentIoT.EdgeAgent) or pass {option} PATH");
            }
        }

        throw new CommandLineException($"cannot find the repository's {fileName} Release build: pass {option} PATH");
    }
}
