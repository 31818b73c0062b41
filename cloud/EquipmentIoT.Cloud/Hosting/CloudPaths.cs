namespace EquipmentIoT.Cloud.Hosting;

/// <summary>Where the cloud keeps its files when nobody says otherwise.</summary>
internal static class CloudPaths
{
    /// <summary>The data directory of a local run: <c>.eqiot/cloud</c> under the current directory.</summary>
    public static string DefaultDataDirectory => Path.GetFullPath(Path.Combine(".eqiot", "cloud"));

    /// <summary>The data directory from <c>--data</c>, else <c>EQIOT_Cloud__DataDirectory</c>, else the default.</summary>
    public static string Resolve(string? data) =>
        Path.GetFullPath(data ?? Environment.GetEnvironmentVariable("EQIOT_Cloud__DataDirectory") ?? DefaultDataDirectory);
}
