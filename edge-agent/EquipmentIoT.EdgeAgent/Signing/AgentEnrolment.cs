using EquipmentIoT.Protocols.Telemetry.Jose;

namespace EquipmentIoT.EdgeAgent.Signing;

/// <summary>
/// Makes an agent's identity: an ECDSA P-256 key pair, the private key in a new 0600 file and the public
/// key beside it as <c>agent.pub.pem</c> for registration in the cloud. Used by <c>eqiot agent keygen</c>
/// and by the agent's first start without a key.
/// </summary>
public static class AgentEnrolment
{
    /// <summary>The public key's file name, next to the private key.</summary>
    public const string PublicKeyFileName = "agent.pub.pem";

    /// <summary>Creates the key pair; returns the public key's path and the key id (RFC 7638 thumbprint).</summary>
    /// <param name="privateKeyPath">Where the private key goes.</param>
    /// <param name="replace">Replace an existing private key (otherwise an existing one is an <see cref="IOException"/>).</param>
    public static (string PublicKeyPath, string Kid) CreateKeyPair(string privateKeyPath, bool replace)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(privateKeyPath))!;
        Directory.CreateDirectory(dir);
        // AgentKeys never overwrites a private key; replacing one is an explicit decision made here.
        if (replace) File.Delete(privateKeyPath);
        using var key = AgentKeys.Generate();
        AgentKeys.SavePrivateKey(key, privateKeyPath);
        var publicPath = Path.Combine(dir, PublicKeyFileName);
        AgentKeys.SavePublicKey(key, publicPath);
        return (publicPath, JwkThumbprint.Compute(key));
    }
}
