using EquipmentIoT.Protocols.Gs1;

namespace EquipmentIoT.Protocols.Tests.Gs1;

/// <summary>Every refusal is a result with a reason naming the AI and/or the offset in the text given; none throws.</summary>
public class Gs1ParserErrorTests
{
    private const string Gtin = "0109506000134352"; // AI (01) + GS1's example GTIN: 16 characters
    private static readonly DateOnly Today = Gs1Samples.ReferenceDate;

    public static TheoryData<string?, string> Refusals() => new()
    {
        // Check digit (§7.9.1)
        { "(01)09506000134353", "AI (01): check digit is 3, expected 2" },
        { "0109506000134353", "AI (01): check digit is 3, expected 2" },
        { "(01)0950600013435A", "AI (01) at offset 17: character 'A' is not a digit" },
        // Character set 82 (Figure 7.11-1): the offset is that of the character in the text given
        { Gtin + "10éB", "AI (10) at offset 18: character 'é' is not in GS1 character set 82" },
        { "(10)LOT 7", "AI (10) at offset 7: character U+0020 is not in GS1 character set 82" },
        { "(21)A#1", "AI (21) at offset 5: character '#' is not in GS1 character set 82" },
        { "(10)A\u001D", "AI (10) at offset 5: character U+001D is not in GS1 character set 82" },
        { "(240)\u00A0", "AI (240) at offset 5: character U+00A0 is not in GS1 character set 82" },
        { "(30)12A", "AI (30) at offset 6: character 'A' is not a digit" },
        // Dates (§3.4, §7.12)
        { "(11)261301", "AI (11): 261301 is not a valid date (month 13)" },
        { "(17)260230", "AI (17): 260230 is not a valid date (2026-02 has 28 days)" },
        { "(17)26023", "AI (17) at offset 4: value has 5 characters, expected 6" },
        { Gtin + "112601\u001D10A", "AI (11) at offset 18: value has 4 characters, expected 6" },
        { Gtin + "172601", "AI (17) at offset 18: value has 4 characters, expected 6" },
        // Lengths
        { "(21)" + new string('9', 21), "AI (21): value longer than 20 characters" },
        { "10" + new string('L', 21), "AI (10): value longer than 20 characters" },
        { "(240)" + new string('A', 31), "AI (240): value longer than 30 characters" },
        { "(30)123456789", "AI (30): value longer than 8 characters" },
        { "(10)", "AI (10) at offset 4: empty value" },
        { "10\u001D21A", "AI (10) at offset 2: empty value" },
        { "(01)(10)A", "AI (01) at offset 4: value has 0 characters, expected 14" },
        // Duplicates
        { "(10)A(10)B", "offset 5: duplicate AI (10)" },
        { Gtin + Gtin, "offset 16: duplicate AI (01)" },
        // Unknown and unsupported AIs
        { "99123", "offset 0: unknown AI 99" },
        { "(99)123", "offset 0: unknown AI 99" },
        { Gtin + "55", "offset 16: unknown AI 55" },
        { "00106141411234567897", "offset 0: AI (00) is not supported (this parser reads 01, 10, 11, 17, 21, 240, 30)" },
        { Gtin + "3103000123", "offset 16: AI (3103) is not supported (this parser reads 01, 10, 11, 17, 21, 240, 30)" },
        { "(3103)000123", "offset 0: AI (3103) is not supported (this parser reads 01, 10, 11, 17, 21, 240, 30)" },
        { "(310)000123", "offset 0: unknown AI 310" },
        // Structure
        { Gtin + "\u001D\u001D10A", "offset 17: separator (GS) where an AI was expected" },
        { "\u001D" + Gtin, "offset 0: separator (GS) where an AI was expected" },
        { Gtin + "1", "offset 17: expected an AI (digits), found the end of the data" },
        { "A" + Gtin, "offset 0: expected an AI (digits), found 'A'" },
        { "(1)23", "offset 0: expected an AI of 2 to 4 digits in parentheses" },
        { "(01", "offset 0: expected an AI of 2 to 4 digits in parentheses" },
        { "]d1" + Gtin, "offset 0: symbology identifier ]d1 is not a GS1 one (expected ]C1, ]e0, ]d2 or ]Q3)" },
        { "]C", "offset 0: symbology identifier ]C is not a GS1 one (expected ]C1, ]e0, ]d2 or ]Q3)" },
        { "]\u0000\u0001" + Gtin, "offset 0: ']' starts a symbology identifier, but not ]C1, ]e0, ]d2 or ]Q3 (the GS1 ones)" },
        { "]C1", "offset 3: no element strings after the symbology identifier" },
        { "", "empty input" },
        { null, "empty input" },
        { new string('1', Gs1Parser.MaxInputLength + 1), "input has 513 characters, more than 512" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void Parse_Invalid_FailsWithReason(string? text, string reason)
    {
        var result = Gs1Parser.Parse(text, Today);

        Assert.False(result.Success);
        Assert.Equal(reason, result.Error);
        Assert.Throws<InvalidOperationException>(() => result.Value);
    }

    [Fact]
    public void Parse_LeapDayOf2100_RefusedWhenTheReferenceDatePutsYear00In2100()
    {
        // §7.12 with reference year 2076: 00 − 76 = −76, the next century, and 2100 is not a leap year.
        Assert.True(Gs1Parser.Parse("(17)000229", new DateOnly(2026, 1, 1)).Success);
        Assert.Equal("AI (17): 000229 is not a valid date (2100-02 has 28 days)",
            Gs1Parser.Parse("(17)000229", new DateOnly(2076, 1, 1)).Error);
    }

    [Fact]
    public void ParseHumanReadable_ElementString_FailsAtOffsetZero() =>
        Assert.Equal("offset 0: expected an AI of 2 to 4 digits in parentheses", Gs1Parser.ParseHumanReadable(Gs1Samples.ElementStringUdi, Today).Error);

    [Fact]
    public void ParseElementString_HumanReadable_FailsAtOffsetZero() =>
        Assert.Equal("offset 0: expected an AI (digits), found '('", Gs1Parser.ParseElementString(Gs1Samples.HumanReadableUdi, Today).Error);

    [Fact]
    public void ParseHumanReadable_LotContainingAnAiLikeGroup_IsSplitThere()
    {
        // The limit of the human-readable form: "(12)" inside a lot reads as AI (12), which is not supported.
        Assert.Equal("offset 5: AI (12) is not supported (this parser reads 01, 10, 11, 17, 21, 240, 30)",
            Gs1Parser.ParseHumanReadable("(10)A(12)B", Today).Error);
    }
}
