namespace EquipmentIoT.Cloud.Notifications.Sms;

/// <summary>The text of one SMS and how Kannel is to encode it.</summary>
/// <param name="Text">The text, shortened to fit if it had to be.</param>
/// <param name="Coding">Kannel's <c>coding</c>: 0 for the GSM 7-bit default alphabet, 2 for UCS-2.</param>
/// <param name="Parts">How many SMS it takes (concatenated when more than one).</param>
/// <param name="Truncated">Whether the text was cut to <see cref="SmsText.Fit"/>'s maximum.</param>
public sealed record SmsPayload(string Text, int Coding, int Parts, bool Truncated);

/// <summary>
/// Fits a notification into SMS: GSM 03.38 7-bit when every character is in the default alphabet or its
/// extension table (3GPP TS 23.038 §6.2.1; an extension character takes two septets), else UCS-2 (Chinese).
/// One SMS carries 160 septets or 70 UCS-2 units; a concatenated one spends a 6-octet UDH per part
/// (3GPP TS 23.040 §9.2.3.24.1), leaving 153 septets or 67 units each.
/// </summary>
public static class SmsText
{
    public const int Gsm7Coding = 0;
    public const int Ucs2Coding = 2;

    private const string Ellipsis = "...";

    // TS 23.038 §6.2.1, the default alphabet in table order (0x1B, the escape to the extension table, left out).
    private const string Basic =
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
        "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

    // TS 23.038 §6.2.1.1, the extension table's characters (each sent as escape + code).
    private const string Extension = "\f^{}\\[~]|€";

    /// <summary>The SMS text of a notification: the subject on the first line, then the body (either may be empty).</summary>
    public static string Compose(string subject, string body)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ArgumentNullException.ThrowIfNull(body);
        if (subject.Length == 0) return body;
        return body.Length == 0 ? subject : subject + "\n" + body;
    }

    /// <summary>Septets of <paramref name="text"/> in GSM 7-bit, or null when a character is not in the alphabet.</summary>
    public static int? Gsm7Septets(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var septets = 0;
        foreach (var ch in text)
        {
            if (Basic.Contains(ch, StringComparison.Ordinal)) septets++;
            else if (Extension.Contains(ch, StringComparison.Ordinal)) septets += 2;
            else return null;
        }
        return septets;
    }

    /// <summary>
    /// The payload for <paramref name="text"/> in at most <paramref name="maxParts"/> SMS: the coding it needs and the
    /// text, cut with "..." when longer (never inside a surrogate pair or an extension character).
    /// </summary>
    public static SmsPayload Fit(string text, int maxParts)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxParts, 1);
        var septets = Gsm7Septets(text);
        var gsm = septets is not null;
        var (single, perPart) = gsm ? (160, 153) : (70, 67);
        var length = septets ?? text.Length; // UCS-2 counts UTF-16 units: a character outside the BMP takes two
        var capacity = maxParts == 1 ? single : perPart * maxParts;
        var truncated = false;
        if (length > capacity)
        {
            text = Cut(text, capacity - Ellipsis.Length, gsm) + Ellipsis;
            length = gsm ? Gsm7Septets(text)!.Value : text.Length;
            truncated = true;
        }
        var parts = length <= single ? 1 : (length + perPart - 1) / perPart;
        return new SmsPayload(text, gsm ? Gsm7Coding : Ucs2Coding, parts, truncated);
    }

    private static string Cut(string text, int budget, bool gsm)
    {
        var used = 0;
        var end = 0;
        while (end < text.Length)
        {
            // The next whole character and what it costs: an extension character two septets, a surrogate pair two units.
            var chars = !gsm && char.IsHighSurrogate(text[end]) && end + 1 < text.Length ? 2 : 1;
            var cost = gsm && Extension.Contains(text[end], StringComparison.Ordinal) ? 2 : chars;
            if (used + cost > budget) break;
            used += cost;
            end += chars;
        }
        return text[..end];
    }
}
