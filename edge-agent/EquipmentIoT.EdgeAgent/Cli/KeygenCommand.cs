
namespace EquipmentIoT.EdgeAgent.Cli;

/// <summary>
/// <c>eqiot agent keygen --out DIR [--force]</c>: the agent's signing key pair for enrolment, and the
/// site secret for patient pseudonyms when the directory has none. Private files are created with mode 0600.
/// </summary>
public static class KeygenCommand
{
    private const string Usage = "usage: eqiot agent keygen --out DIR [--force]";

    /// <summary>Writes agent.key, agent.pub.pem and (if absent) site.secret; returns the exit code.</summary>
    public static int Run(string[] args)
    {
        string? dir = null;
        var force = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--out" or "-o" when i + 1 < args.Length:
                    dir = args[++i];
                    break;
                case "--force":
                    force = true;
                    break;
                case "-h" or "--help":
                    Console.WriteLine(Usage);
                    return 0;
                default:
                    Console.Error.WriteLine($"eqiot agent keygen: unexpected '{args[i]}'\n{Usage}");
                    return 2;
            }
        }

        if (dir is null)
        {
            Console.Error.WriteLine($"eqiot agent keygen: --out is required\n{Usage}");
            return 2;
        }

        Directory.CreateDirectory(dir);
        var privatePath = Path.Combine(dir, "agent.key");
        var secretPath = Path.Combine(dir, "site.secret");
        if (File.Exists(privatePath) && !force)
        {
            Console.Error.WriteLine($"eqiot agent keygen: {privatePath} exists; an agent's key is its identity — pass --force to replace it (then register the new public key)");
            return 1;
        }

        var (publicPath, kid) = Signing.AgentEnrolment.CreateKeyPair(privatePath, replace: force);
        Console.WriteLine($"private key  {Path.GetFullPath(privatePath)} (mode 0600; never leaves this machine)");
        Console.WriteLine($"public key   {Path.GetFullPath(publicPath)} (register it: eqiot cloud agents add --id AGENT_ID --public-key {publicPath})");
        Console.WriteLine($"key id (kid) {kid}");

        if (!File.Exists(secretPath))
        {
            // One secret per site: copy this file to the site's other agents so a patient's pseudonym is the same everywhere.
            Privacy.PhiScrubberFactory.CreateSecretFile(secretPath);
            Console.WriteLine($"site secret  {Path.GetFullPath(secretPath)} (mode 0600; copy it to every agent of this site)");
        }

        return 0;
    }
}
