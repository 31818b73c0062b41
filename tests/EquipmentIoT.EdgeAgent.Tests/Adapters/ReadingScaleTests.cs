using EquipmentIoT.EdgeAgent.Adapters;

namespace EquipmentIoT.EdgeAgent.Tests.Adapters;

public sealed class ReadingScaleTests
{
    [Theory]
    [InlineData(237, 0.1, 0, 23.7)]
    [InlineData(7200, 0.01, 0, 72.0)]
    [InlineData(1186, 0.001, 0, 1.186)]
    [InlineData(2751, 0.1, -273.15, 1.95)]
    [InlineData(12.345, 1, 0, 12.345)]
    [InlineData(-5, 0.5, 0, -2.5)]
    public void Apply_ScaledRegister_IsTheDecimalTheDeviceMeant(double raw, double scale, double offset, double expected)
    {
        Assert.Equal(expected, ReadingScale.Apply(raw, scale, offset));
    }

    [Fact]
    public void FromSingle_Float32Register_KeepsItsShortestDecimal()
    {
        Assert.Equal(11.72, ReadingScale.FromSingle(11.72f));
        Assert.Equal(280.5, ReadingScale.FromSingle(280.5f));
        Assert.True(double.IsNaN(ReadingScale.FromSingle(float.NaN)));
    }
}
