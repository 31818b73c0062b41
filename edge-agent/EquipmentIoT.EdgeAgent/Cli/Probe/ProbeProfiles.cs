using EquipmentIoT.EdgeAgent.Profiles;

namespace EquipmentIoT.EdgeAgent.Cli.Probe;

/// <summary>--profile NAME|FILE: a shipped profile by name, or a YAML file (relative to the current directory).</summary>
internal static class ProbeProfiles
{
    public static DeviceProfile Load(string reference)
    {
        var result = new ProfileCatalog(Path.GetFullPath, siteDirectory: null).Load(reference);
        return result.Success ? result.Profile! : throw new ProbeUsageException($"profile '{reference}': {string.Join("; ", result.Describe())}");
    }
}
