namespace EquipmentIoT.Testing;

/// <summary>Files of the repository the tests run from (found by walking up to EquipmentIoT.sln).</summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    /// <summary>The repository's root directory.</summary>
    public static string Root => RootPath.Value;

    /// <summary>A path under the root, from its parts.</summary>
    public static string Of(params string[] parts) => Path.Combine([Root, .. parts]);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "EquipmentIoT.sln"))) return directory.FullName;
        }

        throw new InvalidOperationException($"EquipmentIoT.sln not found above {AppContext.BaseDirectory}");
    }
}
