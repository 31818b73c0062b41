using System.Globalization;

namespace EquipmentIoT.Protocols.Gs1;

/// <summary>
/// Reads the human-readable form, "(01)09506000134352(10)B-7": each AI in parentheses, its data up to the
/// next AI. Parentheses are also characters of set 82, so a field ends only where "(" is followed by two to
/// four digits and ")": a lot "A(B)" reads whole, a lot "A(12)B" cannot be told from AI (12) and is split
/// there — the form is for people, the element string for machines.
/// </summary>
internal static class Gs1HumanReadableReader
{
    public static Gs1Result<Gs1ElementString> Read(string text, DateOnly referenceDate)
    {
        var collector = new Gs1ElementCollector(text, referenceDate);
        var position = 0;
        while (position < text.Length)
        {
            // Here position is at "(": the first time because the form must open with an AI, later because
            // a field ends only at the next "(digits)".
            var close = AiClose(text, position);
            if (close < 0)
                return Fail(string.Create(CultureInfo.InvariantCulture, $"offset {position}: expected an AI of 2 to 4 digits in parentheses"));
            var code = text.AsSpan(position + 1, close - position - 1);
            var ai = Gs1ApplicationIdentifier.Find(code);
            if (ai is null) return Fail(Gs1AiPrefixes.Unrecognised(code, position));

            var valueEnd = NextAi(text, close + 1);
            var error = collector.Add(ai, position, close + 1, valueEnd);
            if (error is not null) return Fail(error);
            position = valueEnd;
        }
        return collector.Finish();
    }

    // The index of the ")" when text[open] starts "(" + 2..4 digits + ")", otherwise -1.
    private static int AiClose(string text, int open)
    {
        if (text[open] != '(') return -1;
        var digits = 0;
        while (digits < 5 && open + 1 + digits < text.Length && char.IsAsciiDigit(text[open + 1 + digits])) digits++;
        var close = open + 1 + digits;
        return digits is >= 2 and <= 4 && close < text.Length && text[close] == ')' ? close : -1;
    }

    private static int NextAi(string text, int from)
    {
        for (var i = text.IndexOf('(', from); i >= 0; i = text.IndexOf('(', i + 1))
        {
            if (AiClose(text, i) >= 0) return i;
        }
        return text.Length;
    }

    private static Gs1Result<Gs1ElementString> Fail(string error) => Gs1Result<Gs1ElementString>.Fail(error);
}
