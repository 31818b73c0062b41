using EquipmentIoT.EdgeAgent.Adapters.Modbus;
using EquipmentIoT.Protocols.Modbus;

namespace EquipmentIoT.EdgeAgent.Tests.Adapters.Modbus;

public class ModbusPollPlanTests
{
    private static ModbusRegisterMap R(string name, int function, int address, string? type = null) =>
        new() { Name = name, Function = function, Address = address, Type = type };

    [Fact]
    public void Build_NearRegisters_OneRequestPerFunction()
    {
        var plan = ModbusPollPlan.Build([R("a", 4, 0), R("b", 4, 2, "float32"), R("c", 4, 9), R("d", 3, 100), R("e", 3, 101)], maxGap: 8);
        Assert.Equal(2, plan.Count);
        Assert.Equal((ModbusFunctionCode.ReadHoldingRegisters, (ushort)100, (ushort)2), (plan[0].Function, plan[0].Start, plan[0].Count));
        Assert.Equal((ModbusFunctionCode.ReadInputRegisters, (ushort)0, (ushort)10), (plan[1].Function, plan[1].Start, plan[1].Count));
        Assert.Equal(3, plan[1].Points.Count);
    }

    [Fact]
    public void Build_GapLargerThanMaxGap_Splits()
    {
        // a ends at 1; c starts at 10: a gap of 9 registers.
        var plan = ModbusPollPlan.Build([R("a", 4, 0), R("c", 4, 10)], maxGap: 8);
        Assert.Equal(2, plan.Count);
        Assert.Single(ModbusPollPlan.Build([R("a", 4, 0), R("c", 4, 9)], maxGap: 8));
        Assert.Single(ModbusPollPlan.Build([R("a", 4, 0), R("c", 4, 1)], maxGap: 0)); // adjacent: no gap at all
    }

    [Fact]
    public void Build_PastSpecQuantity_Splits()
    {
        // 125 registers is the FC04 limit: 0..124 in one request, a float at 124 would end at 126.
        Assert.Single(ModbusPollPlan.Build([R("a", 4, 0), R("b", 4, 124)], maxGap: 124));
        var plan = ModbusPollPlan.Build([R("a", 4, 0), R("b", 4, 124, "float32")], maxGap: 124);
        Assert.Equal(2, plan.Count);
        Assert.Equal((ushort)124, plan[1].Start);
        Assert.Equal((ushort)2, plan[1].Count);
        // Bits: up to 2000 per request.
        Assert.Single(ModbusPollPlan.Build([R("x", 2, 0), R("y", 2, 1999)], maxGap: 2000));
        Assert.Equal(2, ModbusPollPlan.Build([R("x", 2, 0), R("y", 2, 2000)], maxGap: 2000).Count);
    }

    [Fact]
    public void Build_OverlappingValues_CoveredOnce()
    {
        var plan = ModbusPollPlan.Build([R("whole", 3, 10, "uint32"), R("low", 3, 11), R("high", 3, 10)], maxGap: 0);
        var block = Assert.Single(plan);
        Assert.Equal(((ushort)10, (ushort)2), (block.Start, block.Count));
    }
}
