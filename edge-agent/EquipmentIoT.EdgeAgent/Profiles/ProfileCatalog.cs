using System.Collections.Concurrent;

namespace EquipmentIoT.EdgeAgent.Profiles;

/// <summary>
/// Finds and loads the profiles devices name. A device's <c>Profile</c> is either a file path (it contains a
/// '/' or ends in .yaml/.yml; relative paths resolve against the agent's data directory) or a name looked up
/// as <c>NAME.yaml</c> first in the site's profile directory, then among the profiles shipped with the agent
/// (edge-agent/profiles, copied beside the binary). Each file is loaded once.
/// </summary>
public sealed class ProfileCatalog
{
    private readonly ConcurrentDictionary<string, ProfileLoadResult> _loaded = new(StringComparer.Ordinal);
    private readonly Func<string, string> _resolve;
    private readonly string? _siteDirectory;
    private readonly string _builtInDirectory;

    /// <summary>
    /// A catalog searching <paramref name="siteDirectory"/> (may be null) then <paramref name="builtInDirectory"/>
    /// (default: the <c>profiles</c> folder beside the agent), resolving relative paths with <paramref name="resolve"/>.
    /// </summary>
    public ProfileCatalog(Func<string, string> resolve, string? siteDirectory, string? builtInDirectory = null)
    {
        _resolve = resolve;
        _siteDirectory = siteDirectory;
        _builtInDirectory = builtInDirectory ?? Path.Combine(AppContext.BaseDirectory, "profiles");
    }

    /// <summary>The catalog an agent configured with <paramref name="options"/> uses.</summary>
    public static ProfileCatalog For(Configuration.AgentOptions options) =>
        new(options.Resolve, options.Resolve(options.ProfileDirectory));

    /// <summary>The profiles shipped with the agent, by name.</summary>
    public IEnumerable<string> BuiltInNames => Directory.Exists(_builtInDirectory)
        ? Directory.EnumerateFiles(_builtInDirectory, "*.yaml").Select(f => Path.GetFileNameWithoutExtension(f)!).Order(StringComparer.Ordinal)
        : [];

    /// <summary>Loads (once) the profile <paramref name="reference"/> names.</summary>
    public ProfileLoadResult Load(string reference)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reference);
        var path = Locate(reference);
        if (path is null)
        {
            var known = string.Join(", ", BuiltInNames);
            return new ProfileLoadResult(reference, null, [new ProfileError(0,
                $"no profile named '{reference}' in {(_siteDirectory is null ? "" : _siteDirectory + " or ")}{_builtInDirectory} (shipped: {(known.Length == 0 ? "none" : known)})")]);
        }

        return _loaded.GetOrAdd(path, ProfileLoader.Load);
    }

    private string? Locate(string reference)
    {
        if (reference.Contains('/', StringComparison.Ordinal) || reference.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase)
            || reference.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
        {
            return _resolve(reference);
        }

        foreach (var directory in new[] { _siteDirectory, _builtInDirectory })
        {
            if (directory is null) continue;
            var candidate = Path.Combine(directory, reference + ".yaml");
            if (File.Exists(candidate)) return candidate;
        }

        return null;
    }
}
