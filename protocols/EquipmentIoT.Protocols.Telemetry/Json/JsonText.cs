using System.Text.Json;

namespace EquipmentIoT.Protocols.Telemetry.Json;

/// <summary>
/// Comparisons of a string or property-name token that cannot throw. <see cref="Utf8JsonReader.ValueTextEquals(ReadOnlySpan{byte})"/>
/// throws InvalidOperationException for an escaped lone surrogate (<c>"\ud800"</c>); untrusted input must
/// end in a reason, so escaped text is unescaped here and compared as bytes.
/// </summary>
internal static class JsonText
{
    // Every name and keyword compared is short; an escape takes at most 6 bytes per character.
    private const int MaxEscaped = 6 * 64;

    public static bool EqualsUtf8(in Utf8JsonReader r, ReadOnlySpan<byte> expected)
    {
        var raw = r.ValueSpan;
        if (!r.ValueIsEscaped) return raw.SequenceEqual(expected);
        if (raw.Length > MaxEscaped) return false;
        Span<byte> unescaped = stackalloc byte[MaxEscaped];
        return TryCopy(in r, unescaped, out var written) && unescaped[..written].SequenceEqual(expected);
    }

    /// <summary>Unescapes the token into <paramref name="destination"/>; false for an escaped lone surrogate.</summary>
    public static bool TryCopy(in Utf8JsonReader r, Span<byte> destination, out int written)
    {
        try
        {
            written = r.CopyString(destination);
            return true;
        }
        catch (InvalidOperationException)
        {
            // \uD800 without its low half has no UTF-8 form.
            written = 0;
            return false;
        }
    }
}
