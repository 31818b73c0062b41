using EquipmentIoT.Protocols.Gs1;

namespace EquipmentIoT.Protocols.Tests.Gs1;

public class Gs1CheckDigitTests
{
    // GS1 General Specifications §7.9.1, the worked example of the standard check digit calculation (also on
    // gs1.org's check digit calculator): GTIN-13 without check digit 629104150021, weighted sum 57, check digit 3.
    [Fact]
    public void Compute_SpecWorkedExample_Returns3()
    {
        Assert.Equal(3, Gs1CheckDigit.Compute("629104150021"));
        Assert.True(Gs1CheckDigit.IsValid("6291041500213"));
    }

    [Theory]
    [InlineData("0950600013435", 2)] // GS1's example GTIN 09506000134352
    [InlineData("9501234567890", 3)] // GTIN 9501234567890 + 3
    [InlineData("0000000000000", 0)] // sum 0: check digit 0, not 10
    [InlineData("1", 7)]             // 1 × 3 = 3 → 7
    public void Compute_Digits_ReturnsCheckDigit(string digits, int expected) =>
        Assert.Equal(expected, Gs1CheckDigit.Compute(digits));

    [Fact]
    public void Compute_LeadingZeros_DoNotChangeTheCheckDigit()
    {
        // Why GTIN-8/12/13 can be padded to 14 digits without a new check digit: zeros add nothing to the sum,
        // and the weights are counted from the right.
        Assert.Equal(Gs1CheckDigit.Compute("629104150021"), Gs1CheckDigit.Compute("0629104150021"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("12a4")]
    [InlineData("١٢")] // Arabic-Indic digits are not ASCII digits
    public void Compute_NotDigits_ThrowsArgumentException(string digits) =>
        Assert.Throws<ArgumentException>(() => Gs1CheckDigit.Compute(digits));

    [Theory]
    [InlineData("6291041500212")]
    [InlineData("09506000134353")]
    [InlineData("7")]
    [InlineData("")]
    [InlineData("62910415002 3")]
    public void IsValid_WrongOrMalformed_ReturnsFalse(string digits) => Assert.False(Gs1CheckDigit.IsValid(digits));
}
