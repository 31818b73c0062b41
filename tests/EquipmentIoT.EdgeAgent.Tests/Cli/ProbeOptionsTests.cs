using EquipmentIoT.EdgeAgent.Cli.Probe;

namespace EquipmentIoT.EdgeAgent.Tests.Cli;

public sealed class ProbeOptionsTests
{
    [Theory]
    [InlineData("4", 3, null)]
    [InlineData("3", 4, null)]
    [InlineData("0", 1, null)]
    [InlineData("1", 2, null)]
    [InlineData("4:float", 3, "float32")]
    [InlineData("3:int", 4, "int32")]
    public void SetTable_MbpollTables_MapToFunctionsAndTypes(string table, int function, string? type)
    {
        var request = new ModbusTableRequest();
        request.SetTable(table);
        Assert.Equal(function, request.Function);
        Assert.Equal(type, request.Type);
    }

    [Theory]
    [InlineData("2")]
    [InlineData("4:double")]
    [InlineData("")]
    public void SetTable_Unknown_IsUsageError(string table) =>
        Assert.Throws<ProbeUsageException>(() => new ModbusTableRequest().SetTable(table));

    [Fact]
    public void Validate_TooManyRegistersForOneRequest_IsUsageError()
    {
        var request = new ModbusTableRequest { Count = 62, Type = "float32" };
        request.Validate();
        request.Count = 63; // 126 registers > 125 (Modbus Application Protocol §6.3)
        Assert.Throws<ProbeUsageException>(request.Validate);
    }

    [Fact]
    public void Points_Float32_StepTwoRegisters()
    {
        var points = new ModbusTableRequest { Address = 10, Count = 3, Type = "float32" }.Points();
        Assert.Equal([10, 12, 14], points.Select(p => p.Address));
        Assert.All(points, p => Assert.Equal(2, p.Count));
    }

    [Theory]
    [InlineData(23.5, "23.5")]
    [InlineData(1.8367243e-39, "1.83672e-39")]
    [InlineData(1234567.0, "1.23457e+06")]
    [InlineData(0.0, "0")]
    public void PrintfG_LikeC(double value, string expected) => Assert.Equal(expected, ModbusProbe.PrintfG(value));

    [Fact]
    public void Arguments_MissingOrBadValue_NameTheOption()
    {
        var a = new ProbeArguments(["-c"]);
        Assert.True(a.Next());
        Assert.Contains("-c needs a value", Assert.Throws<ProbeUsageException>(() => a.Int(1, 10)).Message, StringComparison.Ordinal);
        var b = new ProbeArguments(["-c", "0"]);
        b.Next();
        Assert.Contains("-c takes a whole number from 1 to 10, not '0'", Assert.Throws<ProbeUsageException>(() => b.Int(1, 10)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Escape_ControlCharacters_AreVisible() =>
        Assert.Equal("a\\tb\\u0007c\\\\", ProbeSink.Escape("a\tb\u0007c\\"));
}
