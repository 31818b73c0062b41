using System.Security.Cryptography;

namespace EquipmentIoT.Protocols.Telemetry.Jose;

/// <summary>The one curve of ES256 (RFC 7518 §3.4): NIST P-256, a.k.a. secp256r1 / prime256v1.</summary>
internal static class P256
{
    /// <summary>Its object identifier (RFC 5480 §2.1.1.1 secp256r1).</summary>
    public const string Oid = "1.2.840.10045.3.1.7";

    /// <summary>Bytes in a coordinate, in a private scalar, and in each of R and S.</summary>
    public const int FieldBytes = 32;

    /// <summary>Bytes in an ES256 signature: R || S (RFC 7518 §3.4).</summary>
    public const int SignatureBytes = 2 * FieldBytes;

    public static bool IsP256(ECCurve curve) =>
        curve.IsNamed && (curve.Oid.Value == Oid || curve.Oid.FriendlyName is "nistP256" or "ECDSA_P256" or "secp256r1" or "prime256v1");

    /// <summary>The key's public parameters; throws <see cref="ArgumentException"/> unless it is a P-256 key.</summary>
    public static ECParameters PublicParameters(ECDsa key, string paramName)
    {
        ArgumentNullException.ThrowIfNull(key, paramName);
        var parameters = key.ExportParameters(includePrivateParameters: false);
        if (!IsP256(parameters.Curve))
            throw new ArgumentException($"ES256 needs a P-256 key; this key is on curve '{CurveName(parameters.Curve)}'", paramName);
        return parameters;
    }

    public static string CurveName(ECCurve curve) =>
        curve.IsNamed ? curve.Oid.FriendlyName ?? curve.Oid.Value ?? "?" : "explicit parameters";
}
