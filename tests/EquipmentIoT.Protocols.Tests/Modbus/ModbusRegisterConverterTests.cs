using EquipmentIoT.Protocols.Modbus.Registers;

namespace EquipmentIoT.Protocols.Tests.Modbus;

public class ModbusRegisterConverterTests
{
    [Theory]
    [InlineData(ModbusWordOrder.Big, 0x42F6, 0xE979)] // 123.456f = 0x42F6E979 (IEEE 754)
    [InlineData(ModbusWordOrder.Little, 0xE979, 0x42F6)]
    [InlineData(ModbusWordOrder.BigByteSwap, 0xF642, 0x79E9)]
    [InlineData(ModbusWordOrder.LittleByteSwap, 0x79E9, 0xF642)]
    public void ToSingle_WordOrders_SameFloat(ModbusWordOrder order, int first, int second)
    {
        ushort[] registers = [(ushort)first, (ushort)second];
        Assert.Equal(123.456f, ModbusRegisterConverter.ToSingle(registers, order));
        var back = new ushort[2];
        ModbusRegisterConverter.FromSingle(123.456f, back, order);
        Assert.Equal(registers, back);
    }

    [Fact]
    public void ToInt32_BigAndLittle_HighWordPlacement()
    {
        Assert.Equal(0x00010002u, ModbusRegisterConverter.ToUInt32([0x0001, 0x0002], ModbusWordOrder.Big));
        Assert.Equal(0x00020001u, ModbusRegisterConverter.ToUInt32([0x0001, 0x0002], ModbusWordOrder.Little));
        Assert.Equal(-2, ModbusRegisterConverter.ToInt32([0xFFFF, 0xFFFE]));
        Assert.Equal(-1, ModbusRegisterConverter.ToInt16([0xFFFF]));
        Assert.Equal(65535, ModbusRegisterConverter.ToUInt16([0xFFFF]));
    }

    [Fact]
    public void RoundTrip_64BitTypes_AllOrders()
    {
        foreach (var order in Enum.GetValues<ModbusWordOrder>())
        {
            var r = new ushort[4];
            ModbusRegisterConverter.FromDouble(-2.5, r, order);
            Assert.Equal(-2.5, ModbusRegisterConverter.ToDouble(r, order));
            ModbusRegisterConverter.FromInt64(-1234567890123L, r, order);
            Assert.Equal(-1234567890123L, ModbusRegisterConverter.ToInt64(r, order));
            ModbusRegisterConverter.FromInt32(-7, r, order);
            Assert.Equal(-7, ModbusRegisterConverter.ToInt32(r, order));
        }

        // -2.5 = 0xC004000000000000, high word first.
        Assert.Equal(-2.5, ModbusRegisterConverter.ToDouble([0xC004, 0, 0, 0]));
    }

    [Fact]
    public void ToUInt32_TooFewRegisters_Throws() =>
        Assert.Throws<ArgumentException>(() => ModbusRegisterConverter.ToUInt32([1]));
}
