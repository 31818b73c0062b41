using EquipmentIoT.Protocols.Gs1;

namespace EquipmentIoT.Protocols.Tests.Gs1;

public class Gs1DateTests
{
    // GS1 General Specifications §7.12: D = YY − (reference year mod 100); D = 51..99 → previous century,
    // D = −50..−99 → next century, otherwise the reference year's century. A date so reaches 49 years back and
    // 50 years ahead (the note to AI (17) in §3.4).
    [Theory]
    [InlineData(2026, 26, 2026)]
    [InlineData(2026, 76, 2076)] // D = 50: still this century, 50 years ahead
    [InlineData(2026, 77, 1977)] // D = 51: previous century, 49 years back
    [InlineData(2026, 0, 2000)]
    [InlineData(2075, 25, 2125)] // D = −50: next century
    [InlineData(2075, 26, 2026)] // D = −49: this century
    [InlineData(2099, 0, 2100)]  // D = −99
    [InlineData(2000, 99, 1999)] // D = 99
    [InlineData(2000, 50, 2050)]
    [InlineData(2000, 51, 1951)]
    public void ResolveYear_SpecWindow_ResolvesCentury(int referenceYear, int twoDigitYear, int expected) =>
        Assert.Equal(expected, Gs1Date.ResolveYear(twoDigitYear, new DateOnly(referenceYear, 6, 15)));

    [Fact]
    public void ResolveYear_DependsOnlyOnTheReferenceDatePassed_NotOnTheClock()
    {
        // The same digits in two reference years: the answer follows the argument.
        Assert.Equal(2090, Gs1Date.ResolveYear(90, new DateOnly(2045, 1, 1)));
        Assert.Equal(1990, Gs1Date.ResolveYear(90, new DateOnly(2035, 1, 1)));
    }

    // §3.4, notes to AI (11) and (17): a day field of 00 is read as the last day of the month, leap years
    // included; the spec's own examples are 130200 = 28 February 2013 and 160200 = 29 February 2016.
    [Theory]
    [InlineData("130200", 2013, 2, 28)]
    [InlineData("160200", 2016, 2, 29)]
    [InlineData("261200", 2026, 12, 31)]
    [InlineData("260400", 2026, 4, 30)]
    public void Parse_DayZero_IsLastDayOfMonth(string yymmdd, int year, int month, int day)
    {
        var date = Gs1Date.Parse(yymmdd, Gs1Samples.ReferenceDate).Value;

        Assert.True(date.IsDayUnspecified);
        Assert.Equal(new DateOnly(year, month, day), date.ToDateOnly());
        Assert.Equal(yymmdd, date.ToYymmdd());
        Assert.Equal($"{year:D4}-{month:D2}", date.ToString());
    }

    [Fact]
    public void Parse_FullDate_KeepsDay()
    {
        var date = Gs1Date.Parse("260115", Gs1Samples.ReferenceDate).Value;

        Assert.Equal(new DateOnly(2026, 1, 15), date.ToDateOnly());
        Assert.False(date.IsDayUnspecified);
        Assert.Equal(Gs1Date.FromDate(new DateOnly(2026, 1, 15)), date);
    }

    [Theory]
    [InlineData("261301", 2026, "date: 261301 is not a valid date (month 13)")]
    [InlineData("260001", 2026, "date: 260001 is not a valid date (month 00)")]
    [InlineData("260230", 2026, "date: 260230 is not a valid date (2026-02 has 28 days)")]
    [InlineData("260431", 2026, "date: 260431 is not a valid date (2026-04 has 30 days)")]
    [InlineData("000229", 2076, "date: 000229 is not a valid date (2100-02 has 28 days)")] // 00 → 2100, not a leap year
    [InlineData("2601a5", 2026, "date at offset 4: character 'a' is not a digit")]
    [InlineData("26011", 2026, "date at offset 0: value has 5 characters, expected 6")]
    [InlineData(null, 2026, "date at offset 0: value has 0 characters, expected 6")]
    public void Parse_Invalid_FailsWithReason(string? yymmdd, int referenceYear, string reason)
    {
        var result = Gs1Date.Parse(yymmdd, new DateOnly(referenceYear, 1, 1));

        Assert.False(result.Success);
        Assert.Equal(reason, result.Error);
    }

    [Fact]
    public void Parse_LeapDayOf2000_ValidWhen00IsThisCentury() =>
        Assert.Equal(new DateOnly(2000, 2, 29), Gs1Date.Parse("000229", Gs1Samples.ReferenceDate).Value.ToDateOnly());

    [Fact]
    public void MonthOnly_OutOfRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Gs1Date.MonthOnly(2026, 13));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gs1Date.MonthOnly(0, 1));
    }
}
