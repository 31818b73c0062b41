using YamlDotNet.Core;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;
using YamlDotNet.Serialization.NodeDeserializers;

namespace EquipmentIoT.EdgeAgent.Profiles;

/// <summary>The outcome of loading a profile: the profile, or every problem found with its file and line.</summary>
public sealed record ProfileLoadResult(string File, DeviceProfile? Profile, IReadOnlyList<ProfileError> Errors)
{
    /// <summary>True when the profile loaded and validated.</summary>
    public bool Success => Profile is not null && Errors.Count == 0;

    /// <summary>One line per error: "FILE:LINE: message".</summary>
    public IEnumerable<string> Describe() => Errors.Select(e => e.Line > 0 ? $"{File}:{e.Line}: {e.Message}" : $"{File}: {e.Message}");
}

/// <summary>
/// Reads device profiles (YAML). Keys are camelCase; an unknown key is an error (a typo must not silently
/// turn a register off). Syntax errors, wrong types and failed validation all come back with the line.
/// </summary>
public static class ProfileLoader
{
    /// <summary>Profiles larger than this are refused before parsing (a profile is a page or two).</summary>
    public const int MaxFileBytes = 1 << 20;

    private static readonly IDeserializer Deserializer = new DeserializerBuilder()
        .WithNamingConvention(CamelCaseNamingConvention.Instance)
        .WithNodeDeserializer(inner => new LineRecordingDeserializer(inner), s => s.InsteadOf<ObjectNodeDeserializer>())
        .Build();

    /// <summary>Loads and validates the profile in <paramref name="path"/>.</summary>
    public static ProfileLoadResult Load(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var info = new FileInfo(path);
        if (!info.Exists) return Failed(path, new ProfileError(0, "file not found"));
        if (info.Length > MaxFileBytes) return Failed(path, new ProfileError(0, $"file is {info.Length} bytes; a profile may be at most {MaxFileBytes}"));
        return Parse(path, File.ReadAllText(path));
    }

    /// <summary>Parses and validates profile text; <paramref name="file"/> names it in errors.</summary>
    public static ProfileLoadResult Parse(string file, string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        DeviceProfile? profile;
        try
        {
            profile = Deserializer.Deserialize<DeviceProfile>(yaml);
        }
        catch (YamlException e)
        {
            return Failed(file, new ProfileError((int)e.Start.Line, Innermost(e)));
        }

        if (profile is null) return Failed(file, new ProfileError(0, "the file is empty"));
        if (profile.Line == 0) profile.Line = 1;
        var errors = profile.Validate().ToList();
        return new ProfileLoadResult(file, errors.Count == 0 ? profile : null, errors);
    }

    private static ProfileLoadResult Failed(string file, ProfileError error) => new(file, null, [error]);

    // YamlDotNet wraps a failed property in "Exception during deserialization"; the inner one says why.
    private static string Innermost(Exception e)
    {
        var message = e is YamlException y ? y.Message : e.Message;
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            message = inner is YamlException iy ? iy.Message : inner.Message;
        }

        // YamlException messages start with "(Line: 3, Col: 5, Idx: 40) - (…): "; the line is reported separately.
        var cut = message.IndexOf("): ", StringComparison.Ordinal);
        return cut >= 0 && message.StartsWith("(Line:", StringComparison.Ordinal) ? message[(cut + 3)..] : message;
    }

    private sealed class LineRecordingDeserializer(INodeDeserializer inner) : INodeDeserializer
    {
        public bool Deserialize(IParser reader, Type expectedType, Func<IParser, Type, object?> nestedObjectDeserializer,
            out object? value, ObjectDeserializer rootDeserializer)
        {
            var line = reader.Current is { } current ? (int)current.Start.Line : 0;
            if (!inner.Deserialize(reader, expectedType, nestedObjectDeserializer, out value, rootDeserializer)) return false;
            if (value is ProfileNode node) node.Line = line;
            return true;
        }
    }
}
