using EquipmentIoT.Protocols.Gs1;

namespace EquipmentIoT.Protocols.Tests.Gs1;

public class GtinTests
{
    [Theory]
    [InlineData("96385074", "00000096385074")]        // GTIN-8
    [InlineData("614141999996", "00614141999996")]    // GTIN-12 (UPC-A)
    [InlineData("6291041500213", "06291041500213")]   // GTIN-13, the §7.9.1 example
    [InlineData("09506000134352", "09506000134352")]  // GTIN-14
    public void Parse_EachLength_NormalisesTo14Digits(string text, string expected)
    {
        var gtin = Gtin.Parse(text).Value;

        Assert.Equal(expected, gtin.Value);
        Assert.Equal(expected[^1] - '0', gtin.CheckDigit);
    }

    [Fact]
    public void Parse_ShortAndLongFormsOfOneGtin_AreEqual() =>
        Assert.Equal(Gtin.Parse("6291041500213").Value, Gtin.Parse("06291041500213").Value);

    [Theory]
    [InlineData("09506000134353", "GTIN: check digit is 3, expected 2")]
    [InlineData("6291041500212", "GTIN: check digit is 2, expected 3")]
    [InlineData("0950600013435", "GTIN: check digit is 5, expected 9")]
    [InlineData("629104150O213", "GTIN at offset 9: character 'O' is not a digit")]
    [InlineData("0950600013435 ", "GTIN at offset 13: character U+0020 is not a digit")]
    [InlineData("123456789", "GTIN: 9 characters; a GTIN has 8, 12, 13 or 14 digits")]
    [InlineData("", "GTIN: 0 characters; a GTIN has 8, 12, 13 or 14 digits")]
    [InlineData(null, "GTIN: 0 characters; a GTIN has 8, 12, 13 or 14 digits")]
    public void Parse_Invalid_FailsWithReason(string? text, string reason)
    {
        var result = Gtin.Parse(text);

        Assert.False(result.Success);
        Assert.Equal(reason, result.Error);
    }

    [Theory]
    [InlineData("629104150021", "06291041500213")]
    [InlineData("0950600013435", "09506000134352")]
    [InlineData("9638507", "00000096385074")]
    public void FromDigitsWithoutCheckDigit_ComputesCheckDigit(string digits, string expected) =>
        Assert.Equal(expected, Gtin.FromDigitsWithoutCheckDigit(digits).Value.Value);

    [Theory]
    [InlineData("62910415002x", "GTIN at offset 11: character 'x' is not a digit")]
    [InlineData("09506000134352", "GTIN: 14 characters without the check digit; expected 7, 11, 12 or 13 digits")]
    [InlineData("12345678", "GTIN: 8 characters without the check digit; expected 7, 11, 12 or 13 digits")]
    public void FromDigitsWithoutCheckDigit_Invalid_FailsWithReason(string digits, string reason)
    {
        var result = Gtin.FromDigitsWithoutCheckDigit(digits);

        Assert.False(result.Success);
        Assert.Equal(reason, result.Error);
    }
}
