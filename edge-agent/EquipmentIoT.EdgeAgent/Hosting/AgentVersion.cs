using System.Reflection;

namespace EquipmentIoT.EdgeAgent.Hosting;

/// <summary>The agent's version, from the assembly's informational version.</summary>
public static class AgentVersion
{
    /// <summary>e.g. "1.0.0+abc123".</summary>
    public static string Text { get; } =
        typeof(AgentVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(AgentVersion).Assembly.GetName().Version?.ToString() ?? "0.0.0";
}
