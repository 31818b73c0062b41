using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace EquipmentIoT.Protocols.Telemetry.Jose;

/// <summary>
/// Signs envelope v1 payloads as a JWS compact serialisation (RFC 7515 §7.1):
/// <c>BASE64URL(header) '.' BASE64URL(payload) '.' BASE64URL(signature)</c> with ES256 (RFC 7518 §3.4,
/// ECDSA P-256 SHA-256, signature R || S, 64 bytes) and the protected header
/// <c>{"alg":"ES256","kid":"&lt;kid&gt;","cty":"eq-telemetry-v1+json"}</c>, encoded once per key.
/// Writes ASCII bytes straight into the caller's buffer; no intermediate strings. Not thread-safe
/// (an <see cref="ECDsa"/> instance promises nothing): one signer per publishing loop. The caller
/// keeps ownership of the key.
/// </summary>
public sealed class JwsSigner
{
    /// <summary>The JWS algorithm (RFC 7518 §3.1).</summary>
    public const string Algorithm = "ES256";

    /// <summary>The <c>cty</c> header value of envelope v1 (RFC 7515 §4.1.10).</summary>
    public const string ContentType = "eq-telemetry-v1+json";

    private readonly ECDsa _key;
    private readonly byte[] _encodedHeader;

    /// <summary>Creates a signer for <paramref name="privateKey"/>, a P-256 key with its private part.</summary>
    /// <exception cref="ArgumentException">Not a P-256 key, or no private key to sign with.</exception>
    public JwsSigner(ECDsa privateKey)
    {
        var parameters = P256.PublicParameters(privateKey, nameof(privateKey));
        _key = privateKey;
        Kid = JwkThumbprint.Compute(parameters);
        ProtectedHeader = $"{{\"alg\":\"{Algorithm}\",\"kid\":\"{Kid}\",\"cty\":\"{ContentType}\"}}";
        _encodedHeader = Encoding.ASCII.GetBytes(Base64Url.EncodeToString(Encoding.ASCII.GetBytes(ProtectedHeader)));
        Span<byte> probe = stackalloc byte[P256.SignatureBytes];
        try
        {
            _key.TrySignData(_encodedHeader, probe, HashAlgorithmName.SHA256, out _);
        }
        catch (CryptographicException ex)
        {
            throw new ArgumentException("the key cannot sign: it has no private part (" + ex.Message + ")", nameof(privateKey), ex);
        }
    }

    /// <summary>The key id: the RFC 7638 thumbprint of the public key (see <see cref="JwkThumbprint"/>).</summary>
    public string Kid { get; }

    /// <summary>The protected header JSON, exactly as it is encoded into every JWS.</summary>
    public string ProtectedHeader { get; }

    /// <summary>Length in bytes of the compact serialisation of a <paramref name="payloadLength"/>-byte payload.</summary>
    public int GetCompactLength(int payloadLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(payloadLength);
        return checked(_encodedHeader.Length + 1 + Base64Url.GetEncodedLength(payloadLength) + 1
            + Base64Url.GetEncodedLength(P256.SignatureBytes));
    }

    /// <summary>Signs <paramref name="payload"/> and writes the compact serialisation to <paramref name="output"/>.</summary>
    /// <returns>The number of bytes written.</returns>
    public int Sign(ReadOnlySpan<byte> payload, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var length = GetCompactLength(payload.Length);
        var span = output.GetSpan(length);
        SignInto(payload, span[..length]);
        output.Advance(length);
        return length;
    }

    /// <summary>Signs <paramref name="payload"/> into a new array holding the compact serialisation.</summary>
    public byte[] Sign(ReadOnlySpan<byte> payload)
    {
        var compact = new byte[GetCompactLength(payload.Length)];
        SignInto(payload, compact);
        return compact;
    }

    private void SignInto(ReadOnlySpan<byte> payload, Span<byte> compact)
    {
        // RFC 7515 §5.1 steps 2-6: header '.' payload is the JWS Signing Input, signed as ASCII.
        _encodedHeader.CopyTo(compact);
        var n = _encodedHeader.Length;
        compact[n++] = (byte)'.';
        n += Base64Url.EncodeToUtf8(payload, compact[n..]);
        var signingInput = compact[..n];
        compact[n++] = (byte)'.';

        // RFC 7518 §3.4: the signature is R || S, each 32 bytes big-endian: .NET's IEEE P1363 format.
        Span<byte> signature = stackalloc byte[P256.SignatureBytes];
        if (!_key.TrySignData(signingInput, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation, out var written)
            || written != P256.SignatureBytes)
        {
            throw new CryptographicException($"ES256 signing produced {written} bytes instead of {P256.SignatureBytes}");
        }
        n += Base64Url.EncodeToUtf8(signature, compact[n..]);
        if (n != compact.Length) throw new InvalidOperationException($"compact JWS length {n} differs from the computed {compact.Length}");
    }
}
