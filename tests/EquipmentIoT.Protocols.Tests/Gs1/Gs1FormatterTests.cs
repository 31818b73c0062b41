using EquipmentIoT.Protocols.Gs1;

namespace EquipmentIoT.Protocols.Tests.Gs1;

public class Gs1FormatterTests
{
    private static readonly DateOnly Today = Gs1Samples.ReferenceDate;

    [Fact]
    public void FormatBoth_Udi_GivesTheTwoForms()
    {
        var parsed = Gs1Parser.Parse(Gs1Samples.HumanReadableUdi, Today).Value;

        Assert.Equal(Gs1Samples.HumanReadableUdi, Gs1Formatter.FormatHumanReadable(parsed));
        Assert.Equal(Gs1Samples.ElementStringUdi, Gs1Formatter.FormatElementString(parsed));
    }

    // §7.8.5: a separator only after a variable-length field with more to come.
    [Theory]
    [InlineData("(10)A", "10A")]
    [InlineData("(10)A(21)B", "10A\u001D21B")]
    [InlineData("(10)A(01)09506000134352", "10A\u001D0109506000134352")]
    [InlineData("(01)09506000134352(10)A", "010950600013435210A")]
    [InlineData("(11)260115(17)281231(30)5", "1126011517281231305")]
    [InlineData("(21)S(240)X(30)7(10)L", "21S\u001D240X\u001D307\u001D10L")]
    public void FormatElementString_SeparatorOnlyWhereNeeded_OrderAsGiven(string humanReadable, string elementString)
    {
        var parsed = Gs1Parser.Parse(humanReadable, Today).Value;

        Assert.Equal(elementString, Gs1Formatter.FormatElementString(parsed));
        Assert.Equal(humanReadable, Gs1Formatter.FormatHumanReadable(parsed));
    }

    [Fact]
    public void Create_ElementsInAnyOrder_KeepsThatOrder()
    {
        var elements = Gs1ElementString.Create(
        [
            Gs1Element.Create(Gs1ApplicationIdentifier.Serial, "0001", Today).Value,
            Gs1Element.Create(Gs1ApplicationIdentifier.Gtin, Gs1Samples.ExampleGtin, Today).Value,
        ]).Value;

        Assert.Equal("(21)0001(01)09506000134352", elements.ToString());
        Assert.Equal("210001\u001D0109506000134352", Gs1Formatter.FormatElementString(elements));
    }

    [Fact]
    public void Create_DuplicateOrNone_Refused()
    {
        var lot = Gs1Element.Create(Gs1ApplicationIdentifier.BatchLot, "A", Today).Value;

        Assert.Equal("duplicate AI (10)", Gs1ElementString.Create([lot, lot]).Error);
        Assert.Equal("no element strings", Gs1ElementString.Create([]).Error);
    }

    [Theory]
    [InlineData("01", "09506000134353", "AI (01): check digit is 3, expected 2")]
    [InlineData("10", "LOT 7", "AI (10) at offset 3: character U+0020 is not in GS1 character set 82")]
    [InlineData("11", "260230", "AI (11): 260230 is not a valid date (2026-02 has 28 days)")]
    [InlineData("21", "", "AI (21) at offset 0: empty value")]
    public void ElementCreate_InvalidValue_FailsWithReason(string ai, string value, string reason) =>
        Assert.Equal(reason, Gs1Element.Create(Gs1ApplicationIdentifier.Find(ai)!, value, Today).Error);
}
