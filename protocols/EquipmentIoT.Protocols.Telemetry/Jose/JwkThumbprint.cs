using System.Buffers.Text;
using System.Security.Cryptography;

namespace EquipmentIoT.Protocols.Telemetry.Jose;

/// <summary>
/// The JWK thumbprint of a P-256 public key (RFC 7638), which envelope v1 uses as the JWS <c>kid</c>:
/// base64url(SHA-256(<c>{"crv":"P-256","kty":"EC","x":"…","y":"…"}</c>)), the required members of an
/// EC JWK (RFC 7518 §6.2.1) in lexicographic order with no whitespace (RFC 7638 §3.2, §3.3).
/// </summary>
public static class JwkThumbprint
{
    /// <summary>The thumbprint of <paramref name="key"/>'s public key.</summary>
    /// <exception cref="ArgumentException">Not a P-256 key.</exception>
    public static string Compute(ECDsa key) => Compute(P256.PublicParameters(key, nameof(key)));

    /// <summary>The thumbprint of a P-256 public key given as parameters.</summary>
    /// <exception cref="ArgumentException">Not P-256, or the coordinates are not 32 bytes each.</exception>
    public static string Compute(ECParameters publicKey)
    {
        if (!P256.IsP256(publicKey.Curve)) throw new ArgumentException("the key is not on P-256", nameof(publicKey));
        var x = publicKey.Q.X;
        var y = publicKey.Q.Y;
        // RFC 7518 §6.2.1.2: x and y are the full-length (32-byte) coordinates, leading zeros kept.
        if (x is not { Length: P256.FieldBytes } || y is not { Length: P256.FieldBytes })
            throw new ArgumentException("P-256 coordinates must be 32 bytes each", nameof(publicKey));

        ReadOnlySpan<byte> start = "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\""u8;
        ReadOnlySpan<byte> middle = "\",\"y\":\""u8;
        ReadOnlySpan<byte> end = "\"}"u8;
        Span<byte> json = stackalloc byte[start.Length + 43 + middle.Length + 43 + end.Length];
        start.CopyTo(json);
        var n = start.Length;
        n += Base64Url.EncodeToUtf8(x, json[n..]);
        middle.CopyTo(json[n..]);
        n += middle.Length;
        n += Base64Url.EncodeToUtf8(y, json[n..]);
        end.CopyTo(json[n..]);
        n += end.Length;

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(json[..n], hash);
        return Base64Url.EncodeToString(hash);
    }
}
