using EquipmentIoT.Protocols.Gs1;

namespace EquipmentIoT.Protocols.Tests.Gs1;

/// <summary>Fixed test data and seeded generators of valid GS1 data for the round-trip and fuzz tests.</summary>
internal static class Gs1Samples
{
    /// <summary>The reference date every test resolves two-digit years against (§7.12 window: 1977–2076).</summary>
    public static readonly DateOnly ReferenceDate = new(2026, 11, 22);

    /// <summary>
    /// GS1's own example GTIN (GS1 prefix 950 is reserved for GS1 Global Office examples; the GTIN appears
    /// throughout GS1's documentation, e.g. the GS1 Digital Link standard). Check digit 2 by §7.9.1.
    /// </summary>
    public const string ExampleGtin = "09506000134352";

    /// <summary>The brief's UDI in the human-readable form.</summary>
    public const string HumanReadableUdi = "(01)09506000134352(11)260115(10)B-2026-0007(21)0001";

    /// <summary>
    /// The same UDI as a scanner sends it: (01) and (11) have predefined lengths (Figure 7.8.5-2) and need no
    /// separator; (10) is variable and followed by (21), so a GS ends it; (21) is last and needs none (§7.8.5).
    /// </summary>
    public const string ElementStringUdi = "0109506000134352" + "11260115" + "10B-2026-0007" + "\u001D" + "210001";

    private const string Set82 = "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";

    /// <summary>
    /// A random element string: a random subset of the supported AIs in random order with valid values.
    /// With <paramref name="forHumanReadable"/> no value contains "(", which the human-readable form cannot
    /// tell from the start of an AI.
    /// </summary>
    public static Gs1ElementString RandomElementString(Random random, bool forHumanReadable)
    {
        var ais = Gs1ApplicationIdentifier.Supported.Where(_ => random.Next(3) > 0).OrderBy(_ => random.Next()).ToList();
        if (ais.Count == 0) ais.Add(Gs1ApplicationIdentifier.Gtin);
        var elements = ais.Select(ai => Gs1Element.Create(ai, RandomValue(random, ai, forHumanReadable), ReferenceDate).Value);
        return Gs1ElementString.Create(elements).Value;
    }

    /// <summary>A random UDI: always a GTIN, each production identifier present or not.</summary>
    public static Udi RandomUdi(Random random) => Udi.Create(
        RandomGtin(random),
        random.Next(2) == 0 ? RandomDate(random) : null,
        random.Next(2) == 0 ? RandomDate(random) : null,
        random.Next(2) == 0 ? RandomText(random, 20, allowOpenParenthesis: false) : null,
        random.Next(2) == 0 ? RandomText(random, 20, allowOpenParenthesis: false) : null).Value;

    public static Gtin RandomGtin(Random random)
    {
        var digits = new char[13];
        for (var i = 0; i < digits.Length; i++) digits[i] = (char)('0' + random.Next(10));
        return Gtin.FromDigitsWithoutCheckDigit(new string(digits)).Value;
    }

    /// <summary>A date inside the §7.12 window of <see cref="ReferenceDate"/>; one in eight without a day.</summary>
    public static Gs1Date RandomDate(Random random)
    {
        var year = 1977 + random.Next(100);
        var month = 1 + random.Next(12);
        return random.Next(8) == 0
            ? Gs1Date.MonthOnly(year, month)
            : Gs1Date.FromDate(new DateOnly(year, month, 1 + random.Next(DateTime.DaysInMonth(year, month))));
    }

    public static string RandomText(Random random, int maxLength, bool allowOpenParenthesis)
    {
        var text = new char[1 + random.Next(maxLength)];
        for (var i = 0; i < text.Length; i++)
        {
            do text[i] = Set82[random.Next(Set82.Length)];
            while (!allowOpenParenthesis && text[i] == '(');
        }
        return new string(text);
    }

    private static string RandomValue(Random random, Gs1ApplicationIdentifier ai, bool forHumanReadable) => ai.Kind switch
    {
        Gs1DataKind.Gtin => RandomGtin(random).Value,
        Gs1DataKind.Date => RandomDate(random).ToYymmdd(),
        Gs1DataKind.Numeric => new string([.. Enumerable.Range(0, 1 + random.Next(ai.MaxLength)).Select(_ => (char)('0' + random.Next(10)))]),
        _ => RandomText(random, ai.MaxLength, allowOpenParenthesis: !forHumanReadable),
    };
}
