using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NodaTime;

namespace EquipmentIoT.Cloud.Notifications.Webhooks;

/// <summary>
/// How webhook requests are signed, for our sender and for receivers: <c>X-EqIoT-Timestamp</c> is the Unix time in
/// seconds, <c>X-EqIoT-Signature</c> is <c>sha256=</c> and the lower-case hex HMAC-SHA256 (RFC 2104) of the ASCII
/// timestamp, a '.', and the exact body bytes, keyed with the shared secret's UTF-8 bytes. Signing the timestamp lets
/// a receiver refuse replays older than a few minutes.
/// </summary>
public static class WebhookSignature
{
    public const string SignatureHeader = "X-EqIoT-Signature";
    public const string TimestampHeader = "X-EqIoT-Timestamp";

    /// <summary>The stable id of the message (the same in every retry), for receivers to drop duplicates.</summary>
    public const string DeliveryHeader = "X-EqIoT-Delivery";

    private const string Prefix = "sha256=";

    /// <summary>The <c>X-EqIoT-Signature</c> value for <paramref name="timestamp"/> and <paramref name="body"/>.</summary>
    public static string Compute(string secret, string timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(timestamp);
        return Prefix + Convert.ToHexStringLower(Mac(secret, timestamp, body));
    }

    /// <summary>
    /// Checks a received request: the timestamp within <paramref name="tolerance"/> of <paramref name="now"/> and the
    /// signature right (compared in fixed time). Null when it holds; else why not.
    /// </summary>
    public static string? Verify(string secret, string? timestamp, string? signature, ReadOnlySpan<byte> body, Instant now, Duration tolerance)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (string.IsNullOrEmpty(timestamp) || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            return $"{TimestampHeader} is missing or not a Unix time";
        if (seconds > Instant.MaxValue.ToUnixTimeSeconds() || Duration.FromSeconds(Math.Abs((now - Instant.FromUnixTimeSeconds(seconds)).TotalSeconds)) > tolerance)
            return $"{TimestampHeader} is more than {tolerance} away from now";
        if (string.IsNullOrEmpty(signature) || !signature.StartsWith(Prefix, StringComparison.Ordinal) || signature.Length != Prefix.Length + 64)
            return $"{SignatureHeader} is missing or not sha256=<64 hex digits>";
        byte[] given;
        try
        {
            given = Convert.FromHexString(signature.AsSpan(Prefix.Length));
        }
        catch (FormatException)
        {
            return $"{SignatureHeader} is not hex";
        }
        return CryptographicOperations.FixedTimeEquals(given, Mac(secret, timestamp, body)) ? null : "the signature does not match";
    }

    private static byte[] Mac(string secret, string timestamp, ReadOnlySpan<byte> body)
    {
        var signed = new byte[Encoding.ASCII.GetByteCount(timestamp) + 1 + body.Length];
        var n = Encoding.ASCII.GetBytes(timestamp, signed);
        signed[n] = (byte)'.';
        body.CopyTo(signed.AsSpan(n + 1));
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
    }
}
