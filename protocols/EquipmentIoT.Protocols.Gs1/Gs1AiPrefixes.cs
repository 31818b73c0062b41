using System.Globalization;

namespace EquipmentIoT.Protocols.Gs1;

/// <summary>
/// How many digits an AI has, told by its first two: AIs that share two leading digits have the same length
/// (see the AI table of GS1 General Specifications §3.2: 00–22 have two digits, 23–25 three, 31–36 four, …).
/// Used only to name an AI this library does not read, so the reason says "AI (3103) is not supported"
/// instead of guessing where the AI ends.
/// </summary>
internal static class Gs1AiPrefixes
{
    // Index = the two leading digits; 0 = no AI starts with them.
    private static readonly byte[] LengthByPrefix = Build();

    /// <summary>The length (2–4) of AIs starting with these two digits, or 0 when GS1 has assigned none.</summary>
    public static int AiLength(char first, char second) =>
        first is >= '0' and <= '9' && second is >= '0' and <= '9' ? LengthByPrefix[(first - '0') * 10 + (second - '0')] : 0;

    /// <summary>The reason for an AI that was not recognised at <paramref name="offset"/> of the text.</summary>
    /// <param name="code">The AI digits as far as they could be read (two to four).</param>
    /// <param name="offset">Where the AI starts in the text given.</param>
    public static string Unrecognised(ReadOnlySpan<char> code, int offset)
    {
        var length = code.Length >= 2 ? AiLength(code[0], code[1]) : 0;
        // 90–99 carry data agreed between partners or internal to a company: GS1 gives them no meaning a
        // parser could support, so they are as unknown as an unassigned AI.
        var gs1Defined = length != 0 && length == code.Length && code[0] != '9';
        return gs1Defined
            ? string.Create(CultureInfo.InvariantCulture, $"offset {offset}: AI ({code}) is not supported (this parser reads {SupportedList()})")
            : string.Create(CultureInfo.InvariantCulture, $"offset {offset}: unknown AI {code}");
    }

    private static string SupportedList() => string.Join(", ", Gs1ApplicationIdentifier.Supported.Select(ai => ai.Code));

    private static byte[] Build()
    {
        var table = new byte[100];
        Set(table, 0, 4, 2);    // 00 SSCC … 04 (reserved)
        Set(table, 10, 22, 2);  // 10–22 batch, dates, variant, serial, CPV
        Set(table, 23, 25, 3);  // 235, 240–243, 250–255
        Set(table, 30, 30, 2);  // 30 count
        Set(table, 31, 36, 4);  // 31nn–36nn measures
        Set(table, 37, 37, 2);  // 37 count of trade items
        Set(table, 39, 39, 4);  // 39nn amounts
        Set(table, 40, 42, 3);  // 400–427
        Set(table, 43, 43, 4);  // 43nn ship-to / return-to
        Set(table, 70, 70, 4);  // 70nn
        Set(table, 71, 71, 3);  // 710–716 national healthcare reimbursement numbers
        Set(table, 72, 72, 4);  // 72nn
        Set(table, 80, 82, 4);  // 80nn–82nn
        Set(table, 90, 99, 2);  // 90 mutually agreed, 91–99 company internal
        return table;
    }

    private static void Set(byte[] table, int from, int to, byte length)
    {
        for (var prefix = from; prefix <= to; prefix++) table[prefix] = length;
    }
}
