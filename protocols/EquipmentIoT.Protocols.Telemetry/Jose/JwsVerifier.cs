using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace EquipmentIoT.Protocols.Telemetry.Jose;

/// <summary>
/// Verifies an envelope v1 JWS compact serialisation (RFC 7515 §5.2) strictly, in this order, and
/// stops at the first failure with a reason (never an exception for bad input):
/// <list type="number">
/// <item>size at most <see cref="JwsVerifierOptions.MaxCompactBytes"/>, before anything is decoded;</item>
/// <item>exactly three non-empty parts, each canonical base64url without padding (RFC 7515 §2, §7.1);</item>
/// <item>the header is a UTF-8 JSON object without duplicate members (RFC 7515 §5.2 steps 2-4) holding
/// <c>alg</c> = "ES256" (so "none", HS256 and every other algorithm are refused: RFC 8725 §3.1), a
/// <c>kid</c> that is a 43-character thumbprint, an optional <c>cty</c> (must equal
/// <see cref="JwsVerifierOptions.RequiredContentType"/> when set) and <c>typ</c>; <c>crit</c>
/// (RFC 7515 §4.1.11) and any other parameter (<c>jwk</c>, <c>jku</c>, <c>x5u</c>, <c>x5c</c>, …) are refused;</item>
/// <item>the signature is exactly 64 bytes (R || S, RFC 7518 §3.4);</item>
/// <item>the key comes from the caller's lookup by <c>kid</c> — never from the message;</item>
/// <item>ECDSA P-256 SHA-256 over the ASCII signing input; only then is the payload decoded.</item>
/// </list>
/// Thread-safe if the lookup and the keys it returns are.
/// </summary>
public sealed class JwsVerifier
{
    // The v1 header is ~120 characters; 1 KiB leaves room for a typ and longer cty without letting a
    // forged header make us decode and parse much before the signature is checked.
    private const int MaxHeaderChars = 1024;
    private const int SignatureChars = 86; // 64 bytes, base64url without padding

    private readonly Func<string, ECDsa?> _keyLookup;
    private readonly JwsVerifierOptions _options;

    /// <summary>Creates a verifier.</summary>
    /// <param name="keyLookup">
    /// Returns the P-256 public key registered under a <c>kid</c> (an RFC 7638 thumbprint), or null when
    /// none is. The verifier does not dispose what it returns.
    /// </param>
    /// <param name="options">Limits; <see cref="JwsVerifierOptions.Default"/> when null.</param>
    public JwsVerifier(Func<string, ECDsa?> keyLookup, JwsVerifierOptions? options = null)
    {
        _keyLookup = keyLookup ?? throw new ArgumentNullException(nameof(keyLookup));
        _options = options ?? JwsVerifierOptions.Default;
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxCompactBytes, 16, nameof(options));
    }

    /// <summary>Verifies the compact serialisation in <paramref name="compact"/> (ASCII bytes, e.g. an MQTT payload).</summary>
    public TelemetryResult<JwsMessage> Verify(ReadOnlySpan<byte> compact)
    {
        if (compact.IsEmpty) return Fail("jws: empty");
        if (compact.Length > _options.MaxCompactBytes)
            return Fail(string.Create(CultureInfo.InvariantCulture, $"jws: {compact.Length} bytes, more than the limit of {_options.MaxCompactBytes}"));

        // RFC 7515 §7.1: exactly three parts separated by two '.'.
        var firstDot = compact.IndexOf((byte)'.');
        if (firstDot < 0) return Fail("jws: not a compact serialisation: no '.' (expected header.payload.signature)");
        var secondDot = compact[(firstDot + 1)..].IndexOf((byte)'.');
        if (secondDot < 0) return Fail("jws: not a compact serialisation: one '.' (expected header.payload.signature)");
        secondDot += firstDot + 1;
        if (compact[(secondDot + 1)..].Contains((byte)'.'))
            return Fail("jws: more than three parts (a JWE has five; envelope v1 is a JWS of three)");
        var header = compact[..firstDot];
        var payload = compact[(firstDot + 1)..secondDot];
        var signature = compact[(secondDot + 1)..];
        if (header.IsEmpty) return Fail("header: empty");
        if (payload.IsEmpty) return Fail("payload: empty (detached payloads are not used by envelope v1)");
        if (signature.IsEmpty) return Fail("signature: empty (an unsecured JWS is refused)");
        if (header.Length > MaxHeaderChars)
            return Fail(string.Create(CultureInfo.InvariantCulture, $"header: {header.Length} characters, more than {MaxHeaderChars}"));
        if (Base64UrlText.Check(header) is { } headerText) return Fail("header: " + headerText);
        if (Base64UrlText.Check(payload) is { } payloadText) return Fail("payload: " + payloadText);
        if (Base64UrlText.Check(signature) is { } signatureText) return Fail("signature: " + signatureText);

        Span<byte> headerJson = stackalloc byte[MaxHeaderChars];
        var headerLength = Base64UrlText.Decode(header, headerJson);
        if (JwsHeaderReader.Read(headerJson[..headerLength], out var kid, out var contentType) is { } headerError)
            return Fail("header: " + headerError);
        if (_options.RequiredContentType is { } required && !string.Equals(contentType, required, StringComparison.Ordinal))
            return Fail(contentType is null ? $"header: cty missing (expected \"{required}\")" : $"header: cty \"{Shorten(contentType)}\" is not \"{required}\"");

        if (signature.Length != SignatureChars)
            return Fail(string.Create(CultureInfo.InvariantCulture,
                $"signature: {DecodedLength(signature.Length)} bytes; ES256 signatures are 64 (R || S, RFC 7518 §3.4)"));

        var key = _keyLookup(kid!);
        if (key is null) return Fail($"header: no key is registered for kid \"{kid}\"");
        if (key.KeySize != 256) return Fail($"key: the key registered for kid \"{kid}\" is not a P-256 key");

        Span<byte> signatureBytes = stackalloc byte[P256.SignatureBytes];
        Base64UrlText.Decode(signature, signatureBytes);
        var signingInput = compact[..secondDot];
        if (!key.VerifyData(signingInput, signatureBytes, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
            return Fail($"signature: does not verify with the key of kid \"{kid}\"");

        var body = new byte[DecodedLength(payload.Length)];
        Base64UrlText.Decode(payload, body);
        return TelemetryResult<JwsMessage>.Ok(new JwsMessage(kid!, contentType, body));
    }

    /// <summary>Verifies a compact serialisation given as text; non-ASCII text is refused.</summary>
    public TelemetryResult<JwsMessage> Verify(string compact)
    {
        ArgumentNullException.ThrowIfNull(compact);
        if (compact.Length > _options.MaxCompactBytes)
            return Fail(string.Create(CultureInfo.InvariantCulture, $"jws: {compact.Length} characters, more than the limit of {_options.MaxCompactBytes}"));
        if (!Ascii.IsValid(compact)) return Fail("jws: contains non-ASCII characters");
        return Verify(Encoding.ASCII.GetBytes(compact));
    }

    private static int DecodedLength(int chars) => chars / 4 * 3 + (chars % 4) switch { 2 => 1, 3 => 2, _ => 0 };

    private static string Shorten(string s) => s.Length <= 40 ? s : string.Concat(s.AsSpan(0, 40), "…");

    private static TelemetryResult<JwsMessage> Fail(string error) => TelemetryResult<JwsMessage>.Fail(error);
}
