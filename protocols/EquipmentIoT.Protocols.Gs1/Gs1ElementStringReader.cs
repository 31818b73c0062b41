using System.Globalization;

namespace EquipmentIoT.Protocols.Gs1;

/// <summary>
/// Reads the element string a scanner transmits: an optional symbology identifier, then AI and data run
/// together, a GS (0x1D, standing for FNC1) ending each variable-length field that is not last
/// (GS1 General Specifications §7.8.5).
/// </summary>
internal static class Gs1ElementStringReader
{
    // The symbology identifiers (ISO/IEC 15424) that announce GS1 data: GS1-128, GS1 DataBar, GS1 DataMatrix,
    // GS1 QR Code. ]d1 or ]Q1 is the same symbol without FNC1 in first position: not GS1 data.
    private static readonly string[] SymbologyIdentifiers = ["]C1", "]e0", "]d2", "]Q3"];

    public static Gs1Result<Gs1ElementString> Read(string text, DateOnly referenceDate)
    {
        var position = 0;
        if (text[0] == ']')
        {
            var id = text.Length >= 3 ? text[..3] : text;
            if (Array.IndexOf(SymbologyIdentifiers, id) < 0) return Fail(BadSymbologyIdentifier(id));
            position = 3;
            if (position == text.Length) return Fail("offset 3: no element strings after the symbology identifier");
        }

        var collector = new Gs1ElementCollector(text, referenceDate);
        while (position < text.Length)
        {
            var ai = Gs1ApplicationIdentifier.StartOf(text.AsSpan(position));
            if (ai is null) return Fail(Unrecognised(text, position));
            var valueStart = position + ai.Code.Length;
            var valueEnd = ai.IsPredefinedLength
                ? PredefinedEnd(text, valueStart, ai.MaxLength)
                : SeparatorOrEnd(text, valueStart);
            var error = collector.Add(ai, position, valueStart, valueEnd);
            if (error is not null) return Fail(error);

            position = valueEnd;
            // One separator may follow any field. It is required after a variable-length field with more to
            // come; after a predefined-length field or at the very end §7.8.5 says it SHOULD NOT be there, and
            // some label printers put it there anyway, so it is read past rather than refused.
            if (position < text.Length && text[position] == Gs1Characters.GroupSeparator) position++;
        }
        return collector.Finish();
    }

    // A predefined-length field takes its length, but never runs over a separator: "11" "2601" GS … is a
    // short date, reported as such, not a date that swallowed the GS.
    private static int PredefinedEnd(string text, int start, int length)
    {
        var end = Math.Min(start + length, text.Length);
        var separator = text.AsSpan(start, end - start).IndexOf(Gs1Characters.GroupSeparator);
        return separator < 0 ? end : start + separator;
    }

    private static int SeparatorOrEnd(string text, int start)
    {
        var separator = text.AsSpan(start).IndexOf(Gs1Characters.GroupSeparator);
        return separator < 0 ? text.Length : start + separator;
    }

    private static string Unrecognised(string text, int offset)
    {
        var rest = text.AsSpan(offset);
        if (rest[0] == Gs1Characters.GroupSeparator)
            return string.Create(CultureInfo.InvariantCulture, $"offset {offset}: separator (GS) where an AI was expected");
        var digits = 0;
        while (digits < 4 && digits < rest.Length && char.IsAsciiDigit(rest[digits])) digits++;
        if (digits < 2)
        {
            var found = digits < rest.Length ? Gs1Characters.Describe(rest[digits]) : "the end of the data";
            return string.Create(CultureInfo.InvariantCulture, $"offset {offset + digits}: expected an AI (digits), found {found}");
        }
        var length = Gs1AiPrefixes.AiLength(rest[0], rest[1]);
        return Gs1AiPrefixes.Unrecognised(rest[..(length == 0 ? 2 : Math.Min(length, digits))], offset);
    }

    private static string BadSymbologyIdentifier(string id) =>
        id.AsSpan().ContainsAnyExceptInRange('!', '~')
            ? "offset 0: ']' starts a symbology identifier, but not ]C1, ]e0, ]d2 or ]Q3 (the GS1 ones)"
            : $"offset 0: symbology identifier {id} is not a GS1 one (expected ]C1, ]e0, ]d2 or ]Q3)";

    private static Gs1Result<Gs1ElementString> Fail(string error) => Gs1Result<Gs1ElementString>.Fail(error);
}
