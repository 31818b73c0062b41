namespace EquipmentIoT.Bench.Mqtt;

/// <summary>Finds the eqiot-agent to measure: the one given, or this repository's Release build.</summary>
internal static class AgentLocator
{
    private static readonly string ReleaseBuild = Path.Combine("edge-agent", "EquipmentIoT.EdgeAgent", "bin", "Release", "net10.0", "eqiot-agent");

    /// <exception cref="CommandLineException">Not found; the message says how to build it.</exception>
    public static string Find(string? given)
    {
        if (given is not null)
        {
            return File.Exists(given) ? Path.GetFullPath(given) : throw new CommandLineException($"--agent {given}: no such file");
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, ReleaseBuild);
            if (File.Exists(candidate)) return candidate;
            if (File.Exists(Path.Combine(dir.FullName, "EquipmentIoT.sln")))
            {
                throw new CommandLineException(
                    $"{candidate} not found: build it first (dotnet build -c Release edge-agent/EquipmentIoT.EdgeAgent) or pass --agent PATH");
            }
        }

        throw new CommandLineException("cannot find the repository's eqiot-agent Release build: pass --agent PATH");
    }
}
