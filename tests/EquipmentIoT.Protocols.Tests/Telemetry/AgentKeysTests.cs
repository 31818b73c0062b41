using System.Security.Cryptography;
using EquipmentIoT.Protocols.Telemetry.Jose;

namespace EquipmentIoT.Protocols.Tests.Telemetry;

/// <summary>Key files: PKCS#8 private key created 0600, SPKI public key, and clear errors for every wrong file.</summary>
public sealed class AgentKeysTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("eqiot-keys-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string PathOf(string name) => Path.Combine(_dir.FullName, name);

    private string Write(string name, string text)
    {
        File.WriteAllText(PathOf(name), text);
        return PathOf(name);
    }

    [Fact]
    public void SaveThenLoad_PrivateAndPublic_SameKeyPairAndKid()
    {
        using var key = AgentKeys.Generate();
        AgentKeys.SavePrivateKey(key, PathOf("agent.key"));
        AgentKeys.SavePublicKey(key, PathOf("agent.pub"));

        using var loadedPrivate = AgentKeys.LoadPrivateKey(PathOf("agent.key"));
        using var loadedPublic = AgentKeys.LoadPublicKey(PathOf("agent.pub"));

        var kid = new JwsSigner(key).Kid;
        Assert.Equal(kid, new JwsSigner(loadedPrivate).Kid);
        Assert.Equal(kid, JwkThumbprint.Compute(loadedPublic));
        var jws = new JwsSigner(loadedPrivate).Sign("{}"u8);
        Assert.True(TelemetrySamples.VerifierFor(loadedPublic).Verify(jws).Success);
        Assert.StartsWith("-----BEGIN PRIVATE KEY-----\n", File.ReadAllText(PathOf("agent.key")), StringComparison.Ordinal);
        Assert.StartsWith("-----BEGIN PUBLIC KEY-----\n", File.ReadAllText(PathOf("agent.pub")), StringComparison.Ordinal);
    }

    [Fact]
    public void SavePrivateKey_NewFile_Mode0600()
    {
        if (OperatingSystem.IsWindows()) return; // file modes are a Unix notion; the agent runs on Linux
        using var key = AgentKeys.Generate();
        AgentKeys.SavePrivateKey(key, PathOf("agent.key"));
        AgentKeys.SavePublicKey(key, PathOf("agent.pub"));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(PathOf("agent.key")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            File.GetUnixFileMode(PathOf("agent.pub")));
    }

    [Fact]
    public void SavePrivateKey_FileExists_ThrowsAndKeepsTheOldKey()
    {
        using var first = AgentKeys.Generate();
        using var second = AgentKeys.Generate();
        AgentKeys.SavePrivateKey(first, PathOf("agent.key"));

        Assert.Throws<IOException>(() => AgentKeys.SavePrivateKey(second, PathOf("agent.key")));
        using var loaded = AgentKeys.LoadPrivateKey(PathOf("agent.key"));
        Assert.Equal(JwkThumbprint.Compute(first), JwkThumbprint.Compute(loaded));
    }

    [Fact]
    public void LoadPrivateKey_Sec1EcPrivateKey_Accepted()
    {
        using var key = AgentKeys.Generate();
        using var loaded = AgentKeys.LoadPrivateKey(Write("sec1.key", key.ExportECPrivateKeyPem()));
        Assert.Equal(JwkThumbprint.Compute(key), JwkThumbprint.Compute(loaded));
    }

    [Fact]
    public void LoadPrivateKey_SpecExampleKey_HasTheSpecKid()
    {
        using var key = AgentKeys.LoadPrivateKey(Write("spec.key", TelemetrySamples.SpecPrivateKeyPem));
        Assert.Equal("Aq6Tf8YwfR6P3WmEogdiYzb5_TTLPTFwmjnwwGbwlV4", new JwsSigner(key).Kid);
    }

    public static TheoryData<string, Func<string>, string> BadPrivateKeyFiles() => new()
    {
        { "missing", () => "", "no such key file" },
        { "empty", () => "\n", "is not PEM: no '-----BEGIN" },
        { "garbage", () => "hello\n", "is not PEM" },
        { "public", () => TelemetrySamples.SpecPublicKeyPem, "holds a public key; the agent needs its private key" },
        { "rsa", () => { using var rsa = RSA.Create(2048); return rsa.ExportPkcs8PrivateKeyPem(); }, "holds an RSA key; envelope v1 signs with ES256 and needs an EC P-256 key" },
        { "p384", () => { using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP384); return ec.ExportPkcs8PrivateKeyPem(); }, "holds an EC key on curve P-384; envelope v1 (ES256) needs P-256" },
        { "p384sec1", () => { using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP384); return ec.ExportECPrivateKeyPem(); }, "needs P-256" },
        { "encrypted", () => { using var ec = AgentKeys.Generate(); return ec.ExportEncryptedPkcs8PrivateKeyPem("pw", new PbeParameters(PbeEncryptionAlgorithm.Aes128Cbc, HashAlgorithmName.SHA256, 1000)); }, "holds an encrypted private key" },
        { "badbase64", () => "-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg*\n-----END PRIVATE KEY-----\n", "is not PEM" },
        { "truncated", () => TruncatedDer(), "corrupt key" },
        { "certificate", () => "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "holds a PEM 'CERTIFICATE'" },
    };

    private static string TruncatedDer()
    {
        using var ec = AgentKeys.Generate();
        return new string(PemEncoding.Write("PRIVATE KEY", ec.ExportPkcs8PrivateKey().AsSpan(0, 60)));
    }

    [Theory]
    [MemberData(nameof(BadPrivateKeyFiles))]
    public void LoadPrivateKey_WrongFile_AgentKeyExceptionNamingFileAndProblem(string name, Func<string> content, string problem)
    {
        var path = name == "missing" ? PathOf("missing.key") : Write(name + ".key", content());
        var ex = Assert.Throws<AgentKeyException>(() => AgentKeys.LoadPrivateKey(path));
        Assert.Contains(problem, ex.Message, StringComparison.Ordinal);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadPublicKey_PrivateKeyFile_RefusedWithAWarning()
    {
        var ex = Assert.Throws<AgentKeyException>(() => AgentKeys.LoadPublicKey(Write("a.key", TelemetrySamples.SpecPrivateKeyPem)));
        Assert.Contains("holds a private key where a public key (PEM label PUBLIC KEY) was expected", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ImportPublicKeyPem_RsaOrP384_RefusedNamingWhatItIs()
    {
        using var rsa = RSA.Create(2048);
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        Assert.Contains("holds an RSA key", Assert.Throws<AgentKeyException>(() => AgentKeys.ImportPublicKeyPem(rsa.ExportSubjectPublicKeyInfoPem(), "agent-07")).Message, StringComparison.Ordinal);
        Assert.Contains("agent-07 holds an EC key on curve P-384", Assert.Throws<AgentKeyException>(() => AgentKeys.ImportPublicKeyPem(p384.ExportSubjectPublicKeyInfoPem(), "agent-07")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ImportPublicKeyPem_PointNotOnTheCurve_Corrupt()
    {
        // Flip a byte of the uncompressed point (04 || X || Y): no longer on P-256.
        using var key = AgentKeys.Generate();
        var der = key.ExportSubjectPublicKeyInfo();
        der[^1] ^= 0x01;
        var pem = new string(PemEncoding.Write("PUBLIC KEY", der));
        Assert.Contains("corrupt key", Assert.Throws<AgentKeyException>(() => AgentKeys.ImportPublicKeyPem(pem)).Message, StringComparison.Ordinal);
    }
}
