using EquipmentIoT.Protocols.Gs1;

namespace EquipmentIoT.Protocols.Tests.Gs1;

public class UdiTests
{
    private static readonly DateOnly Today = Gs1Samples.ReferenceDate;

    [Fact]
    public void Parse_FullUdi_DeviceAndProductionIdentifiers()
    {
        var udi = Udi.Parse("(01)09506000134352(11)260115(17)281100(10)B-2026-0007(21)0001", Today).Value;

        Assert.Equal(Gs1Samples.ExampleGtin, udi.DeviceIdentifier.Value);
        Assert.Equal(new DateOnly(2026, 1, 15), udi.ProductionDate!.ToDateOnly());
        Assert.Equal(new DateOnly(2028, 11, 30), udi.ExpiryDate!.ToDateOnly()); // day 00: last day of the month
        Assert.True(udi.ExpiryDate.IsDayUnspecified);
        Assert.Equal("B-2026-0007", udi.Lot);
        Assert.Equal("0001", udi.Serial);
        Assert.True(udi.HasProductionIdentifier);
    }

    [Fact]
    public void Parse_ElementStringWithOtherAis_TakesOnlyTheUdiParts()
    {
        var udi = Udi.Parse("]d2240REF-1\u001D0109506000134352", Today).Value;

        Assert.Equal(Gs1Samples.ExampleGtin, udi.DeviceIdentifier.Value);
        Assert.False(udi.HasProductionIdentifier);
        Assert.Equal("(01)09506000134352", udi.ToString());
    }

    [Fact]
    public void Parse_NoGtin_Refused() =>
        Assert.Equal("AI (01) is missing: a UDI needs the GTIN as its device identifier", Udi.Parse("(10)A(21)B", Today).Error);

    [Fact]
    public void Parse_BadText_PassesTheParserReasonOn() =>
        Assert.Equal("AI (01): check digit is 3, expected 2", Udi.Parse("(01)09506000134353", Today).Error);

    [Fact]
    public void ToElementString_FixedOrder_PredefinedLengthFieldsFirst()
    {
        var udi = Udi.Parse("(21)0001(10)B-7(17)281231(01)09506000134352(11)260115", Today).Value;
        var elements = udi.ToElementString();

        Assert.Equal("(01)09506000134352(11)260115(17)281231(10)B-7(21)0001", udi.ToString());
        Assert.Equal("0109506000134352112601151728123110B-7\u001D210001", Gs1Formatter.FormatElementString(elements));
    }

    [Fact]
    public void Create_BadLotOrSerial_Refused()
    {
        var gtin = Gtin.Parse(Gs1Samples.ExampleGtin).Value;

        Assert.Equal("AI (10) at offset 3: character U+0020 is not in GS1 character set 82", Udi.Create(gtin, lot: "LOT 7").Error);
        Assert.Equal("AI (21): value longer than 20 characters", Udi.Create(gtin, serial: new string('1', 21)).Error);
        Assert.Equal("AI (21) at offset 0: empty value", Udi.Create(gtin, serial: "").Error);
    }

    [Fact]
    public void Equality_SameParts_Equal()
    {
        var a = Udi.Parse(Gs1Samples.HumanReadableUdi, Today).Value;
        var b = Udi.Parse(Gs1Samples.ElementStringUdi, Today).Value;

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }
}
