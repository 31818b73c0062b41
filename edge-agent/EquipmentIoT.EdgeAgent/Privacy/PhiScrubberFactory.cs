using System.Security.Cryptography;
using EquipmentIoT.EdgeAgent.Configuration;
using EquipmentIoT.EdgeAgent.Health;
using Microsoft.Extensions.Logging;

namespace EquipmentIoT.EdgeAgent.Privacy;

/// <summary>
/// Builds the agent's scrubber from the site's policy and secret. Patient data is scrubbed whatever
/// happens to the secret file: when none exists yet one is created (mode 0600; copy it to the site's
/// other agents); when it exists but cannot be used, a random secret for this run keeps identifiers
/// pseudonymised (though not stable across restarts) and the problem is logged and shown in health.
/// </summary>
public static partial class PhiScrubberFactory
{
    /// <summary>Creates the scrubber for <paramref name="options"/>.</summary>
    public static PhiScrubber Create(AgentOptions options, AgentCounters counters, TimeProvider time, ILogger<PhiScrubber> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var path = options.Resolve(options.SiteSecretFile);
        var policy = PhiPolicy.FromOptions(options.Privacy);
        if (!File.Exists(path))
        {
            CreateSecretFile(path);
            LogSecretCreated(logger, path);
        }

        if (PhiSiteSecret.TryLoad(path, out var secret, out var problem))
        {
            return new PhiScrubber(policy, secret, logger);
        }

        LogSecretUnusable(logger, problem);
        counters.Error(time, problem);
        return new PhiScrubber(policy, new PhiSiteSecret(RandomNumberGenerator.GetBytes(32)), logger);
    }

    /// <summary>Writes a new 32-byte random site secret to <paramref name="path"/> (mode 0600); fails if the file exists.</summary>
    internal static void CreateSecretFile(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var f = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        f.Write(RandomNumberGenerator.GetBytes(32));
        f.Flush(flushToDisk: true);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Created a new site secret at {Path}: copy it to this site's other agents so a patient's pseudonym is the same on all of them")]
    private static partial void LogSecretCreated(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Problem}; patient identifiers are pseudonymised with a secret for this run only (not comparable across restarts) until it is fixed")]
    private static partial void LogSecretUnusable(ILogger logger, string problem);
}
