using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace EquipmentIoT.Protocols.AzureIotHub;

/// <summary>
/// An IoT Hub shared access signature ("Control access to IoT Hub with shared access signatures", SAS
/// token structure):
/// <code>SharedAccessSignature sr={URL-encoded-resourceURI}&amp;sig={signature-string}&amp;se={expiry}[&amp;skn={policyName}]</code>
/// where the signature is base64(HMAC-SHA256(base64-decoded key, <c>{URL-encoded-resourceURI} + "\n" + {expiry}</c>)),
/// URL-encoded, and the expiry is seconds since the Unix epoch. A device signs with its own symmetric key
/// for the resource <c>{hostName}/devices/{deviceId}</c> and no policy name.
/// <para>
/// The signature is a bearer credential: <see cref="ToString"/> never shows it; only <see cref="Serialize"/>
/// (the MQTT password) does.
/// </para>
/// </summary>
public sealed class SasToken
{
    /// <summary>The token's scheme word.</summary>
    public const string Scheme = "SharedAccessSignature";

    private readonly string _signature;

    private SasToken(string encodedResourceUri, string resourceUri, string signature, long expiry, string? policyName)
    {
        EncodedResourceUri = encodedResourceUri;
        ResourceUri = resourceUri;
        _signature = signature;
        ExpiresAtUnixSeconds = expiry;
        PolicyName = policyName;
    }

    /// <summary>The resource the token grants access to, e.g. <c>myhub.azure-devices.net/devices/device1</c>.</summary>
    public string ResourceUri { get; }

    /// <summary>The <c>sr</c> field exactly as signed and sent (URL-encoded).</summary>
    public string EncodedResourceUri { get; }

    /// <summary>Expiry, seconds since 1970-01-01T00:00:00Z (the <c>se</c> field).</summary>
    public long ExpiresAtUnixSeconds { get; }

    /// <summary>Expiry as a point in time.</summary>
    public DateTimeOffset ExpiresAt => DateTimeOffset.FromUnixTimeSeconds(ExpiresAtUnixSeconds);

    /// <summary>The shared access policy (<c>skn</c>); null for a device's own key.</summary>
    public string? PolicyName { get; }

    /// <summary>The resource URI of a device: <c>{hostName}/devices/{deviceId}</c>.</summary>
    /// <exception cref="ArgumentException">The host name or device id is not valid for IoT Hub.</exception>
    public static string DeviceResourceUri(string hostName, string deviceId)
    {
        IotHubIdentifiers.ThrowIfInvalidHostName(hostName);
        IotHubIdentifiers.ThrowIfInvalidDeviceId(deviceId);
        return $"{hostName}/devices/{deviceId}";
    }

    /// <summary>
    /// The expiry for a token made at <paramref name="now"/> that lives <paramref name="lifetime"/>,
    /// rounded up to a whole second (as Microsoft's Node.js sample does with <c>Math.ceil</c>).
    /// </summary>
    public static long ExpiryFrom(DateTimeOffset now, TimeSpan lifetime)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lifetime, TimeSpan.Zero);
        var ticks = (now + lifetime).ToUniversalTime().Ticks - DateTime.UnixEpoch.Ticks;
        return (ticks + TimeSpan.TicksPerSecond - 1) / TimeSpan.TicksPerSecond;
    }

    /// <summary>The expiry for a token made now by <paramref name="time"/>'s clock.</summary>
    public static long ExpiryFrom(TimeProvider time, TimeSpan lifetime)
    {
        ArgumentNullException.ThrowIfNull(time);
        return ExpiryFrom(time.GetUtcNow(), lifetime);
    }

    /// <summary>The text that is signed: <c>{URL-encoded-resourceURI} + "\n" + {expiry}</c>.</summary>
    public static string StringToSign(string encodedResourceUri, long expiresAtUnixSeconds) =>
        encodedResourceUri + "\n" + expiresAtUnixSeconds.ToString(CultureInfo.InvariantCulture);

    /// <summary>Signs a token for a device with its symmetric key (base64-decoded) and no policy name.</summary>
    public static SasToken CreateForDevice(string hostName, string deviceId, ReadOnlySpan<byte> key, long expiresAtUnixSeconds) =>
        Create(DeviceResourceUri(hostName, deviceId), key, expiresAtUnixSeconds);

    /// <summary>Signs a token for <paramref name="resourceUri"/> with <paramref name="key"/> (already base64-decoded).</summary>
    /// <exception cref="ArgumentException">The key is empty, the resource is empty, or the expiry is negative.</exception>
    public static SasToken Create(string resourceUri, ReadOnlySpan<byte> key, long expiresAtUnixSeconds, string? policyName = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(resourceUri);
        if (key.IsEmpty) throw new ArgumentException("the signing key is empty", nameof(key));
        ArgumentOutOfRangeException.ThrowIfNegative(expiresAtUnixSeconds);
        if (policyName is { Length: 0 }) policyName = null;
        var encoded = IotHubUrlEncoding.Encode(resourceUri);
        return new SasToken(encoded, resourceUri, Sign(key, encoded, expiresAtUnixSeconds), expiresAtUnixSeconds, policyName);
    }

    /// <summary>True when the token has expired at <paramref name="now"/>.</summary>
    public bool IsExpired(DateTimeOffset now) => now.ToUnixTimeSeconds() >= ExpiresAtUnixSeconds;

    /// <summary>Checks the signature against <paramref name="key"/> (constant time), e.g. for a parsed token.</summary>
    public bool VerifySignature(ReadOnlySpan<byte> key)
    {
        if (key.IsEmpty) return false;
        var expected = Encoding.ASCII.GetBytes(Sign(key, EncodedResourceUri, ExpiresAtUnixSeconds));
        var actual = Encoding.ASCII.GetBytes(_signature);
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }

    /// <summary>
    /// The full token, signature included: the MQTT password. It is a credential until it expires; never
    /// log it.
    /// </summary>
    public string Serialize() => Format(IotHubUrlEncoding.Encode(_signature));

    /// <summary>The token with its signature replaced by <c>&lt;redacted&gt;</c>: safe for logs.</summary>
    public override string ToString() => Format("<redacted>");

    /// <summary>
    /// Parses a token (fields in any order); refuses a missing or repeated <c>sr</c>, <c>sig</c> or
    /// <c>se</c>, an expiry that is not a number, a signature that is not base64 and unknown fields.
    /// Reasons never contain the signature.
    /// </summary>
    public static IotHubParseResult<SasToken> Parse(string? text)
    {
        if (string.IsNullOrEmpty(text)) return Fail("the token is empty");
        if (!text.StartsWith(Scheme + " ", StringComparison.Ordinal)) return Fail($"a SAS token starts with '{Scheme} '");
        string? sr = null, sig = null, se = null, skn = null;
        var fields = text[(Scheme.Length + 1)..].Split('&');
        for (var i = 0; i < fields.Length; i++)
        {
            var field = fields[i];
            var eq = field.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) return Fail($"field {i + 1} is not name=value"); // no text: it might be the signature
            var name = field[..eq];
            var value = field[(eq + 1)..];
            ref var slot = ref sr;
            switch (name)
            {
                case "sr": slot = ref sr; break;
                case "sig": slot = ref sig; break;
                case "se": slot = ref se; break;
                case "skn": slot = ref skn; break;
                default: return Fail($"unknown field '{Truncate(name)}'");
            }

            if (slot is not null) return Fail($"field '{name}' appears twice");
            slot = value;
        }

        if (sr is null || sr.Length == 0) return Fail("the resource (sr) is missing");
        if (sig is null || sig.Length == 0) return Fail("the signature (sig) is missing");
        if (se is null) return Fail("the expiry (se) is missing");
        if (!long.TryParse(se, NumberStyles.None, CultureInfo.InvariantCulture, out var expiry))
            return Fail("the expiry (se) is not a whole number of seconds");
        var resource = IotHubUrlEncoding.Decode(sr);
        if (!resource.Success) return Fail($"the resource (sr): {resource.Error}");
        var signature = IotHubUrlEncoding.Decode(sig);
        if (!signature.Success || !IsBase64Sha256(signature.Value)) return Fail("the signature (sig) is not a base64 HMAC-SHA256 value");
        string? policy = null;
        if (skn is not null)
        {
            var decodedPolicy = IotHubUrlEncoding.Decode(skn);
            if (!decodedPolicy.Success) return Fail($"the policy name (skn): {decodedPolicy.Error}");
            policy = decodedPolicy.Value.Length == 0 ? null : decodedPolicy.Value;
        }

        return IotHubParseResult<SasToken>.Ok(new SasToken(sr, resource.Value, signature.Value, expiry, policy));
    }

    private string Format(string signatureField)
    {
        var sb = new StringBuilder(Scheme.Length + EncodedResourceUri.Length + signatureField.Length + 48);
        sb.Append(Scheme).Append(" sr=").Append(EncodedResourceUri)
            .Append("&sig=").Append(signatureField)
            .Append("&se=").Append(ExpiresAtUnixSeconds.ToString(CultureInfo.InvariantCulture));
        if (PolicyName is not null) sb.Append("&skn=").Append(IotHubUrlEncoding.Encode(PolicyName));
        return sb.ToString();
    }

    private static string Sign(ReadOnlySpan<byte> key, string encodedResourceUri, long expiry)
    {
        var toSign = Encoding.UTF8.GetBytes(StringToSign(encodedResourceUri, expiry));
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, toSign, mac);
        return Convert.ToBase64String(mac);
    }

    private static bool IsBase64Sha256(string value)
    {
        Span<byte> decoded = stackalloc byte[64];
        return Convert.TryFromBase64String(value, decoded, out var n) && n == HMACSHA256.HashSizeInBytes;
    }

    private static string Truncate(string s) => s.Length <= 16 ? s : s[..16] + "…";

    private static IotHubParseResult<SasToken> Fail(string why) => IotHubParseResult<SasToken>.Fail(why);
}
