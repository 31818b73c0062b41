using System.Text;
using System.Text.Json;
using EquipmentIoT.Protocols.Telemetry.Json;

namespace EquipmentIoT.Protocols.Telemetry.Jose;

/// <summary>Reads the JOSE header of an envelope v1 JWS (RFC 7515 §4) and applies the rules of <see cref="JwsVerifier"/>.</summary>
internal static class JwsHeaderReader
{
    [Flags]
    private enum Seen { None = 0, Alg = 1, Kid = 2, Cty = 4, Typ = 8 }

    /// <summary>Null when the header is acceptable; otherwise why not.</summary>
    public static string? Read(ReadOnlySpan<byte> json, out string? kid, out string? contentType)
    {
        kid = null;
        contentType = null;
        // RFC 7515 §5.2 step 3: the header is UTF-8 JSON.
        if (!System.Text.Unicode.Utf8.IsValid(json)) return "not valid UTF-8";
        var reader = new Utf8JsonReader(json, TelemetryJsonNames.ReaderOptions);
        try
        {
            return ReadObject(ref reader, ref kid, ref contentType);
        }
        catch (JsonException)
        {
            return "not a JSON object (RFC 7515 §5.2 step 4)";
        }
    }

    private static string? ReadObject(ref Utf8JsonReader r, ref string? kid, ref string? contentType)
    {
        if (!r.Read() || r.TokenType != JsonTokenType.StartObject) return "not a JSON object (RFC 7515 §5.2 step 4)";
        var seen = Seen.None;
        while (true)
        {
            r.Read();
            if (r.TokenType == JsonTokenType.EndObject) break;
            var member = JsonText.EqualsUtf8(in r, "alg"u8) ? Seen.Alg
                : JsonText.EqualsUtf8(in r, "kid"u8) ? Seen.Kid
                : JsonText.EqualsUtf8(in r, "cty"u8) ? Seen.Cty
                : JsonText.EqualsUtf8(in r, "typ"u8) ? Seen.Typ
                : Seen.None;
            if (member == Seen.None)
            {
                return JsonText.EqualsUtf8(in r, "crit"u8)
                    ? "crit is not supported (RFC 7515 §4.1.11: a recipient must reject extensions it does not understand)"
                    : $"unexpected parameter \"{Text(in r)}\" (envelope v1 allows alg, kid, cty and typ)";
            }
            if ((seen & member) != 0) return $"duplicate parameter \"{Text(in r)}\" (RFC 7515 §5.2 step 4)";
            seen |= member;
            r.Read();
            if (r.TokenType != JsonTokenType.String) return $"{member.ToString().ToLowerInvariant()} must be a string";
            switch (member)
            {
                case Seen.Alg:
                    if (JsonText.EqualsUtf8(in r, "ES256"u8)) break;
                    return JsonText.EqualsUtf8(in r, "none"u8)
                        ? "alg \"none\" is refused: an unsecured JWS (RFC 7518 §3.6) proves nothing"
                        : $"alg \"{Text(in r)}\" is refused: envelope v1 accepts only ES256 (RFC 7518 §3.4)";
                case Seen.Kid:
                    var raw = r.ValueSpan;
                    if (r.ValueIsEscaped || raw.Length != TelemetryLimits.HashTextLength || Base64UrlText.Check(raw) is not null)
                        return "kid must be an RFC 7638 JWK thumbprint: 43 base64url characters";
                    kid = Encoding.ASCII.GetString(raw);
                    break;
                case Seen.Cty:
                    if (!TryGetString(in r, out contentType)) return "cty is not valid text";
                    break;
                default:
                    break;
            }
        }
        if (r.Read()) return "content after the header object";
        if ((seen & Seen.Alg) == 0) return "alg missing (RFC 7515 §4.1.1)";
        if ((seen & Seen.Kid) == 0) return "kid missing: envelope v1 finds the key by its RFC 7638 thumbprint";
        return null;
    }

    private static bool TryGetString(in Utf8JsonReader r, out string? text)
    {
        try
        {
            text = r.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            // An escaped lone surrogate has no UTF-16 string form.
            text = null;
            return false;
        }
    }

    private static string Text(in Utf8JsonReader r)
    {
        var text = TryGetString(in r, out var s) && s is not null ? s : "?";
        return text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "…");
    }
}
