using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EquipmentIoT.Testing;

/// <summary>
/// A throw-away PKI made with System.Security.Cryptography only: a CA, a server certificate for
/// 127.0.0.1/localhost, a client certificate, and an unrelated "wrong" CA for negative tests.
/// RSA 2048 + SHA-256, which OpenSSL 3 (security level 2, as used by mosquitto) and SslStream accept.
/// </summary>
public sealed class TestCertificates : IDisposable
{
    private const int KeySize = 2048;
    private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";

    // Whole seconds: certificates store second precision, and a leaf may not outlive its issuer.
    private readonly DateTimeOffset notBefore;
    private readonly DateTimeOffset notAfter;

    private TestCertificates(string clientCommonName)
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        notBefore = now.AddDays(-1);
        notAfter = now.AddDays(30);
        Ca = CreateCa("EquipmentIoT Test CA");
        WrongCa = CreateCa("EquipmentIoT Wrong CA");
        Server = Issue(Ca, "localhost", ServerAuthOid, withLoopbackNames: true);
        Client = Issue(Ca, clientCommonName, ClientAuthOid, withLoopbackNames: false);
    }

    /// <summary>The trusted CA, with its private key.</summary>
    public X509Certificate2 Ca { get; }

    /// <summary>An unrelated CA (with key) that nothing trusts; for "wrong CA" tests.</summary>
    public X509Certificate2 WrongCa { get; }

    /// <summary>Server certificate signed by <see cref="Ca"/>: SAN IP 127.0.0.1 and DNS localhost, EKU serverAuth.</summary>
    public X509Certificate2 Server { get; }

    /// <summary>Client certificate signed by <see cref="Ca"/>, EKU clientAuth.</summary>
    public X509Certificate2 Client { get; }

    /// <summary>Creates the CAs, the server certificate and a client certificate with CN <paramref name="clientCommonName"/>.</summary>
    public static TestCertificates Create(string clientCommonName = "eqiot-test-client")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clientCommonName);
        return new TestCertificates(clientCommonName);
    }

    /// <summary>
    /// Issues another client certificate (EKU clientAuth) with CN <paramref name="commonName"/>, signed by
    /// <see cref="Ca"/> or, for negative tests, by <see cref="WrongCa"/>. Usable by SslStream (see
    /// <see cref="ForSslStream"/>).
    /// </summary>
    public X509Certificate2 IssueClientCertificate(string commonName, bool signedByWrongCa = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(commonName);
        using var issued = Issue(signedByWrongCa ? WrongCa : Ca, commonName, ClientAuthOid, withLoopbackNames: false);
        return ForSslStream(issued);
    }

    /// <summary>
    /// <see cref="Client"/> with its private key, round-tripped through PKCS#12 so that SslStream on Linux
    /// can present it. The caller owns (disposes) the result.
    /// </summary>
    public X509Certificate2 ClientCertificateForSslStream() => ForSslStream(Client);

    /// <summary>Round-trips a certificate with private key through PKCS#12 (a fresh random password).</summary>
    public static X509Certificate2 ForSslStream(X509Certificate2 certificateWithKey)
    {
        ArgumentNullException.ThrowIfNull(certificateWithKey);
        var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var pkcs12 = certificateWithKey.Export(X509ContentType.Pkcs12, password);
        return X509CertificateLoader.LoadPkcs12(pkcs12, password, X509KeyStorageFlags.Exportable);
    }

    /// <summary>
    /// A chain policy that trusts only <see cref="Ca"/>, for
    /// <c>SslClientAuthenticationOptions.CertificateChainPolicy</c> (or the server-side equivalent).
    /// </summary>
    public X509ChainPolicy CreateTrustPolicy()
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
        };
        policy.CustomTrustStore.Add(Ca);
        return policy;
    }

    /// <summary>
    /// Writes PEM files into <paramref name="directory"/> (keys readable by the owner only):
    /// ca.crt, server.crt, server.key, client.crt, client.key, wrong-ca.crt.
    /// </summary>
    public TestCertificateFiles WritePemFiles(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory.CreateDirectory(directory);
        var files = new TestCertificateFiles(
            CaFile: Path.Combine(directory, "ca.crt"),
            ServerCertFile: Path.Combine(directory, "server.crt"),
            ServerKeyFile: Path.Combine(directory, "server.key"),
            ClientCertFile: Path.Combine(directory, "client.crt"),
            ClientKeyFile: Path.Combine(directory, "client.key"),
            WrongCaFile: Path.Combine(directory, "wrong-ca.crt"));
        File.WriteAllText(files.CaFile, Ca.ExportCertificatePem());
        File.WriteAllText(files.WrongCaFile, WrongCa.ExportCertificatePem());
        WritePem(Server, files.ServerCertFile, files.ServerKeyFile);
        WritePem(Client, files.ClientCertFile, files.ClientKeyFile);
        return files;
    }

    /// <summary>Writes a certificate and its PKCS#8 private key as PEM; the key file gets mode 0600.</summary>
    public static void WritePem(X509Certificate2 certificateWithKey, string certFile, string keyFile)
    {
        ArgumentNullException.ThrowIfNull(certificateWithKey);
        using var key = certificateWithKey.GetRSAPrivateKey()
            ?? throw new ArgumentException("certificate has no RSA private key", nameof(certificateWithKey));
        File.WriteAllText(certFile, certificateWithKey.ExportCertificatePem());
        File.WriteAllText(keyFile, string.Empty);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Ca.Dispose();
        WrongCa.Dispose();
        Server.Dispose();
        Client.Dispose();
    }

    private X509Certificate2 CreateCa(string commonName)
    {
        using var key = RSA.Create(KeySize);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        return request.CreateSelfSigned(notBefore, notAfter);
    }

    private X509Certificate2 Issue(X509Certificate2 issuer, string commonName, string ekuOid, bool withLoopbackNames)
    {
        using var key = RSA.Create(KeySize);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(ekuOid)], critical: false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(
            issuer, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        if (withLoopbackNames)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            names.AddDnsName("localhost");
            request.CertificateExtensions.Add(names.Build());
        }

        using var unsigned = request.Create(issuer, notBefore, notAfter, NewSerialNumber());
        return unsigned.CopyWithPrivateKey(key);
    }

    private static byte[] NewSerialNumber()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x01); // positive DER INTEGER without a leading zero byte
        return serial;
    }
}
