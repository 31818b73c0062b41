using EquipmentIoT.Protocols.Gs1;

namespace EquipmentIoT.Protocols.Tests.Gs1;

public class Gs1ParserTests
{
    private const char Gs = Gs1Parser.GroupSeparator;
    private static readonly DateOnly Today = Gs1Samples.ReferenceDate;

    [Fact]
    public void Parse_HumanReadableUdi_ReadsElementsInOrder()
    {
        var parsed = Gs1Parser.Parse(Gs1Samples.HumanReadableUdi, Today).Value;

        Assert.Equal(["01", "11", "10", "21"], parsed.Elements.Select(e => e.Ai.Code));
        Assert.Equal(["09506000134352", "260115", "B-2026-0007", "0001"], parsed.Elements.Select(e => e.Value));
    }

    [Fact]
    public void Parse_ElementStringUdi_EqualsHumanReadable() =>
        Assert.Equal(Gs1Parser.Parse(Gs1Samples.HumanReadableUdi, Today).Value, Gs1Parser.Parse(Gs1Samples.ElementStringUdi, Today).Value);

    // Symbology identifiers of the GS1 carriers (ISO/IEC 15424, GS1 General Specifications §5): GS1-128 ]C1,
    // GS1 DataMatrix ]d2, GS1 QR Code ]Q3, GS1 DataBar ]e0. A scanner set to send them puts one first.
    [Theory]
    [InlineData("]C1")]
    [InlineData("]d2")]
    [InlineData("]Q3")]
    [InlineData("]e0")]
    public void ParseElementString_GS1SymbologyIdentifier_IsDropped(string identifier) =>
        Assert.Equal(Gs1Parser.Parse(Gs1Samples.HumanReadableUdi, Today).Value,
            Gs1Parser.ParseElementString(identifier + Gs1Samples.ElementStringUdi, Today).Value);

    [Fact]
    public void ParseElementString_OnlyPredefinedLengthFields_NeedNoSeparator()
    {
        // Figure 7.8.5-2: (01), (11) and (17) end by their length.
        var parsed = Gs1Parser.Parse("01095060001343521126011517281231", Today).Value;

        Assert.Equal("(01)09506000134352(11)260115(17)281231", parsed.ToString());
    }

    [Theory]
    [InlineData("0109506000134352\u001D17281231")]     // after a predefined-length field
    [InlineData("0109506000134352\u001D17281231\u001D")] // and at the very end
    public void ParseElementString_SeparatorWhereNoneIsNeeded_IsReadPast(string text) =>
        Assert.Equal("(01)09506000134352(17)281231", Gs1Parser.Parse(text, Today).Value.ToString());

    [Fact]
    public void Parse_AdditionalIdAndCount_AreRead()
    {
        var parsed = Gs1Parser.Parse($"240REF-42/A{Gs}3012{Gs}0109506000134352", Today).Value;

        Assert.Equal("REF-42/A", parsed.Find(Gs1ApplicationIdentifier.AdditionalId));
        Assert.Equal("12", parsed.Find(Gs1ApplicationIdentifier.Count));
        Assert.Equal(Gs1Samples.ExampleGtin, parsed.Find(Gs1ApplicationIdentifier.Gtin));
        Assert.Null(parsed.Find(Gs1ApplicationIdentifier.Serial));
    }

    [Fact]
    public void Parse_EveryCharacterOfSet82_IsAcceptedInAVariableField()
    {
        // Figure 7.11-1 has 82 characters; a 20-character serial takes them in slices.
        const string set82 = "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";
        Assert.Equal(82, set82.Length);
        for (var start = 0; start < set82.Length; start += 20)
        {
            var serial = set82[start..Math.Min(start + 20, set82.Length)];
            Assert.Equal(serial, Gs1Parser.Parse("21" + serial, Today).Value.Find(Gs1ApplicationIdentifier.Serial));
        }
    }

    [Theory]
    [InlineData("(10)A(B)C", "A(B)C")]   // "(B)" is not an AI
    [InlineData("(10)(1)", "(1)")]        // one digit is not an AI
    [InlineData("(10)x(12345)", "x(12345)")] // five digits are not an AI
    [InlineData("(10))(", ")(")]
    public void ParseHumanReadable_ParenthesesThatAreNotAnAi_StayInTheValue(string text, string lot) =>
        Assert.Equal(lot, Gs1Parser.ParseHumanReadable(text, Today).Value.Find(Gs1ApplicationIdentifier.BatchLot));

    [Fact]
    public void Parse_MaximumLengths_AreAccepted()
    {
        var text = $"10{new string('L', 20)}{Gs}21{new string('S', 20)}{Gs}240{new string('A', 30)}{Gs}30{new string('9', 8)}";

        Assert.Equal(4, Gs1Parser.Parse(text, Today).Value.Elements.Count);
    }

    [Fact]
    public void Supported_NoCodeIsAPrefixOfAnother()
    {
        // The element-string reader matches the first AI the text starts with; this keeps that unambiguous.
        foreach (var a in Gs1ApplicationIdentifier.Supported)
        {
            Assert.DoesNotContain(Gs1ApplicationIdentifier.Supported, b => b != a && b.Code.StartsWith(a.Code, StringComparison.Ordinal));
        }
    }
}
