using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Text;

namespace EquipmentIoT.Protocols.Telemetry.Jose;

/// <summary>
/// The agent's signing key: a P-256 key pair, the private key stored as an unencrypted PKCS#8 PEM
/// (RFC 5208 / RFC 7468 §10, label "PRIVATE KEY") readable by the agent's user only, the public key as
/// a SubjectPublicKeyInfo PEM (RFC 5280 §4.1.2.7 / RFC 7468 §13, label "PUBLIC KEY") that is registered
/// with the cloud. Loading names what is wrong with a bad file instead of a bare CryptographicException.
/// </summary>
public static class AgentKeys
{
    private const string EcPublicKeyOid = "1.2.840.10045.2.1";  // RFC 5480 §2.1.1 id-ecPublicKey
    private const int MaxPemChars = 64 * 1024;

    private static readonly Dictionary<string, string> KnownAlgorithms = new(StringComparer.Ordinal)
    {
        ["1.2.840.113549.1.1.1"] = "an RSA key",
        ["1.2.840.113549.1.1.10"] = "an RSA-PSS key",
        ["1.3.101.112"] = "an Ed25519 key",
        ["1.3.101.113"] = "an Ed448 key",
        ["1.3.101.110"] = "an X25519 key",
        ["1.2.840.10040.4.1"] = "a DSA key",
    };

    private static readonly Dictionary<string, string> KnownCurves = new(StringComparer.Ordinal)
    {
        ["1.3.132.0.34"] = "P-384",
        ["1.3.132.0.35"] = "P-521",
        ["1.3.132.0.10"] = "secp256k1",
        ["1.3.36.3.3.2.8.1.1.7"] = "brainpoolP256r1",
    };

    /// <summary>A new P-256 key pair.</summary>
    public static ECDsa Generate() => ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>
    /// Writes the private key as PKCS#8 PEM to a new file created with mode 0600 (the mode is set by
    /// open(2) itself, so the key is never readable by others, not even for an instant).
    /// </summary>
    /// <exception cref="IOException">The file exists already (a key is never overwritten) or cannot be written.</exception>
    /// <exception cref="ArgumentException">Not a P-256 key with its private part.</exception>
    public static void SavePrivateKey(ECDsa key, string path)
    {
        P256.PublicParameters(key, nameof(key));
        ArgumentException.ThrowIfNullOrEmpty(path);
        var der = key.ExportPkcs8PrivateKey();
        var pem = PemEncoding.Write("PRIVATE KEY", der);
        var bytes = new byte[pem.Length + 1];
        try
        {
            Encoding.ASCII.GetBytes(pem, 0, pem.Length, bytes, 0);
            bytes[^1] = (byte)'\n';
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using var file = new FileStream(path, options);
            file.Write(bytes);
            file.Flush(flushToDisk: true);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(der);
            CryptographicOperations.ZeroMemory(bytes);
            Array.Clear(pem);
        }
    }

    /// <summary>Writes the public key as SubjectPublicKeyInfo PEM (mode 0644), replacing an existing file.</summary>
    public static void SavePublicKey(ECDsa key, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var pem = ExportPublicKeyPem(key);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
        using var file = new FileStream(path, options);
        file.Write(Encoding.ASCII.GetBytes(pem + "\n"));
        file.Flush(flushToDisk: true);
    }

    /// <summary>The public key as SubjectPublicKeyInfo PEM text (what the cloud registers).</summary>
    public static string ExportPublicKeyPem(ECDsa key)
    {
        P256.PublicParameters(key, nameof(key));
        return key.ExportSubjectPublicKeyInfoPem();
    }

    /// <summary>Loads the private key written by <see cref="SavePrivateKey"/> (a SEC1 "EC PRIVATE KEY" PEM is accepted too).</summary>
    /// <exception cref="AgentKeyException">The file is missing, unreadable, or not an unencrypted P-256 private key; the message says which.</exception>
    public static ECDsa LoadPrivateKey(string path) => ImportPrivateKeyPem(ReadPem(path), $"'{path}'");

    /// <summary>Loads a public key written by <see cref="SavePublicKey"/>.</summary>
    /// <exception cref="AgentKeyException">The file is missing, unreadable, or not a P-256 public key; the message says which.</exception>
    public static ECDsa LoadPublicKey(string path) => ImportPublicKeyPem(ReadPem(path), $"'{path}'");

    /// <summary>Imports a P-256 private key from PEM text ("PRIVATE KEY" or "EC PRIVATE KEY").</summary>
    /// <param name="pem">The PEM text.</param>
    /// <param name="source">Names the text in error messages, e.g. a file name.</param>
    /// <exception cref="AgentKeyException">Not an unencrypted P-256 private key; the message says what it is.</exception>
    public static ECDsa ImportPrivateKeyPem(string pem, string source = "the PEM text")
    {
        ArgumentNullException.ThrowIfNull(pem);
        var (label, der) = DecodePem(pem, source);
        try
        {
            switch (label)
            {
                case "PRIVATE KEY":
                    CheckAlgorithm(der, source, isPrivate: true);
                    return Import(source, key => key.ImportPkcs8PrivateKey(der, out _), needPrivate: true);
                case "EC PRIVATE KEY":
                    return Import(source, key => key.ImportECPrivateKey(der, out _), needPrivate: true);
                case "ENCRYPTED PRIVATE KEY":
                    throw new AgentKeyException($"{source} holds an encrypted private key; the agent reads an unencrypted PKCS#8 key protected by file mode 0600");
                case "PUBLIC KEY":
                    throw new AgentKeyException($"{source} holds a public key; the agent needs its private key (PEM label PRIVATE KEY)");
                default:
                    throw new AgentKeyException($"{source} holds a PEM '{label}'; expected a P-256 private key (PEM label PRIVATE KEY)");
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(der);
        }
    }

    /// <summary>Imports a P-256 public key from SubjectPublicKeyInfo PEM text ("PUBLIC KEY").</summary>
    /// <param name="pem">The PEM text.</param>
    /// <param name="source">Names the text in error messages, e.g. a file name or an agent id.</param>
    /// <exception cref="AgentKeyException">Not a P-256 public key; the message says what it is.</exception>
    public static ECDsa ImportPublicKeyPem(string pem, string source = "the PEM text")
    {
        ArgumentNullException.ThrowIfNull(pem);
        var (label, der) = DecodePem(pem, source);
        switch (label)
        {
            case "PUBLIC KEY":
                CheckAlgorithm(der, source, isPrivate: false);
                return Import(source, key => key.ImportSubjectPublicKeyInfo(der, out _), needPrivate: false);
            case "PRIVATE KEY" or "EC PRIVATE KEY" or "ENCRYPTED PRIVATE KEY":
                CryptographicOperations.ZeroMemory(der);
                throw new AgentKeyException($"{source} holds a private key where a public key (PEM label PUBLIC KEY) was expected; never hand a private key to the cloud");
            default:
                throw new AgentKeyException($"{source} holds a PEM '{label}'; expected a P-256 public key (PEM label PUBLIC KEY)");
        }
    }

    private static string ReadPem(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists) throw new AgentKeyException($"'{path}': no such key file");
            if (info.Length > MaxPemChars) throw new AgentKeyException($"'{path}': {info.Length} bytes is far too large for a P-256 key file");
            return File.ReadAllText(path, Encoding.ASCII);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new AgentKeyException($"'{path}': cannot read the key file: {ex.Message}", ex);
        }
    }

    private static (string Label, byte[] Der) DecodePem(string pem, string source)
    {
        if (pem.Length > MaxPemChars) throw new AgentKeyException($"{source}: {pem.Length} characters is far too large for a P-256 key");
        if (!PemEncoding.TryFind(pem, out var fields))
            throw new AgentKeyException($"{source} is not PEM: no '-----BEGIN …-----' / '-----END …-----' block (RFC 7468)");
        var label = pem[fields.Label].ToString();
        var der = new byte[fields.DecodedDataLength];
        if (!Convert.TryFromBase64Chars(pem.AsSpan()[fields.Base64Data], der, out var written) || written != der.Length)
            throw new AgentKeyException($"{source}: the PEM '{label}' block is not valid base64 (corrupt file)");
        return (label, der);
    }

    // PKCS#8 PrivateKeyInfo (RFC 5208 §5) and SubjectPublicKeyInfo (RFC 5280 §4.1) both carry an
    // AlgorithmIdentifier; read it to say "RSA key" or "P-384 key" instead of a generic failure.
    private static void CheckAlgorithm(byte[] der, string source, bool isPrivate)
    {
        string algorithm;
        string? curve = null;
        try
        {
            var outer = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
            if (isPrivate) outer.ReadInteger();                   // version
            var algorithmId = outer.ReadSequence();               // AlgorithmIdentifier
            algorithm = algorithmId.ReadObjectIdentifier();
            if (algorithm == EcPublicKeyOid && algorithmId.HasData && algorithmId.PeekTag().HasSameClassAndValue(Asn1Tag.ObjectIdentifier))
                curve = algorithmId.ReadObjectIdentifier();       // ECParameters namedCurve (RFC 5480 §2.1.1)
        }
        catch (AsnContentException ex)
        {
            throw new AgentKeyException($"{source}: corrupt key: not a DER {(isPrivate ? "PKCS#8 PrivateKeyInfo" : "SubjectPublicKeyInfo")} ({ex.Message})", ex);
        }

        if (algorithm != EcPublicKeyOid)
        {
            var what = KnownAlgorithms.GetValueOrDefault(algorithm, $"a key of algorithm {algorithm}");
            throw new AgentKeyException($"{source} holds {what}; envelope v1 signs with ES256 and needs an EC P-256 key");
        }
        if (curve is null) throw new AgentKeyException($"{source}: an EC key without a named curve; envelope v1 needs the named curve P-256");
        if (curve != P256.Oid)
        {
            var name = KnownCurves.GetValueOrDefault(curve, curve);
            throw new AgentKeyException($"{source} holds an EC key on curve {name}; envelope v1 (ES256) needs P-256");
        }
    }

    private static ECDsa Import(string source, Action<ECDsa> import, bool needPrivate)
    {
        var key = ECDsa.Create();
        try
        {
            import(key);
            var parameters = key.ExportParameters(false);
            if (!P256.IsP256(parameters.Curve))
                throw new AgentKeyException($"{source} holds an EC key on curve {P256.CurveName(parameters.Curve)}; envelope v1 (ES256) needs P-256");
            if (needPrivate) CheckPair(key, source);
            return key;
        }
        catch (CryptographicException ex)
        {
            key.Dispose();
            throw new AgentKeyException($"{source}: corrupt key: {ex.Message}", ex);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    // A private key whose stored public point does not match the scalar signs what nobody can verify.
    private static void CheckPair(ECDsa key, string source)
    {
        ReadOnlySpan<byte> probe = "eq-telemetry key check"u8;
        Span<byte> signature = stackalloc byte[P256.SignatureBytes];
        if (!key.TrySignData(probe, signature, HashAlgorithmName.SHA256, out var written)
            || !key.VerifyData(probe, signature[..written], HashAlgorithmName.SHA256))
        {
            throw new AgentKeyException($"{source}: corrupt key: a signature made with it does not verify with its own public key");
        }
    }
}
