using EquipmentIoT.Protocols.Telemetry.Json;

namespace EquipmentIoT.Protocols.Telemetry.Jose;

/// <summary>
/// Canonical base64url as JWS requires it (RFC 7515 §2 "Base64url Encoding": RFC 4648 §5 alphabet,
/// no padding, no line breaks or other characters). The unused low bits of the last character must be
/// zero (RFC 4648 §3.5 allows a decoder to insist): otherwise several texts decode to the same bytes,
/// and two different compact serialisations of one signed batch would hash differently in the chain.
/// </summary>
internal static class Base64UrlText
{
    /// <summary>Null when <paramref name="text"/> is canonical base64url; otherwise why not (with the offset).</summary>
    public static string? Check(ReadOnlySpan<byte> text)
    {
        var bad = text.IndexOfAnyExcept(TelemetryRules.Base64Url8);
        if (bad >= 0)
        {
            var c = text[bad];
            return c == '='
                ? $"padding '=' at offset {bad} (base64url without padding, RFC 7515 §2)"
                : $"byte 0x{c:X2} at offset {bad} is not base64url (RFC 4648 §5)";
        }
        switch (text.Length % 4)
        {
            case 1:
                return $"{text.Length} characters is not a possible base64url length";
            case 2 when (TelemetryRules.Base64UrlValue(text[^1]) & 0b1111) != 0:
            case 3 when (TelemetryRules.Base64UrlValue(text[^1]) & 0b11) != 0:
                return "the last character has non-zero unused bits (not canonical, RFC 4648 §3.5)";
            default:
                return null;
        }
    }

    /// <summary>Decodes text that <see cref="Check"/> accepted; <paramref name="destination"/> must be large enough.</summary>
    public static int Decode(ReadOnlySpan<byte> text, Span<byte> destination)
    {
        var status = System.Buffers.Text.Base64Url.DecodeFromUtf8(text, destination, out _, out var written);
        return status == System.Buffers.OperationStatus.Done
            ? written
            : throw new InvalidOperationException($"base64url text passed the check but did not decode: {status}");
    }
}
