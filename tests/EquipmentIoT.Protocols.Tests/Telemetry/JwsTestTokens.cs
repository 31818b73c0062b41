using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace EquipmentIoT.Protocols.Tests.Telemetry;

/// <summary>Hand-made JWS compact serialisations, for headers and signatures our signer would never produce.</summary>
internal static class JwsTestTokens
{
    public static string B64(string text) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));

    public static string B64(ReadOnlySpan<byte> bytes) => Base64Url.EncodeToString(bytes);

    /// <summary>Signs <c>B64(header).B64(payload)</c> with ES256 under any header.</summary>
    public static string Es256(string headerJson, string payload, ECDsa key)
    {
        var signingInput = B64(headerJson) + "." + B64(payload);
        var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256);
        return signingInput + "." + B64(signature);
    }

    /// <summary>The HS256 confusion attack: an HMAC keyed with the public key's bytes (RFC 8725 §2.1).</summary>
    public static string Hs256(string headerJson, string payload, byte[] secret)
    {
        var signingInput = B64(headerJson) + "." + B64(payload);
        return signingInput + "." + B64(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(signingInput)));
    }

    public static byte[] Ascii(string s) => Encoding.ASCII.GetBytes(s);
}
