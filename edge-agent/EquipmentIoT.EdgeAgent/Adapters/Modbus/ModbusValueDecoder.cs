using EquipmentIoT.Protocols.Modbus.Registers;

namespace EquipmentIoT.EdgeAgent.Adapters.Modbus;

/// <summary>A decoded value: <see cref="Raw"/> as read, <see cref="Bits"/> its integer image (flags, states, counters), and the scaled value.</summary>
public readonly record struct ModbusValue(double Raw, long Bits, double Scaled);

/// <summary>Decodes a mapped value out of the registers or bits a block read.</summary>
public static class ModbusValueDecoder
{
    /// <summary>Decodes <paramref name="point"/> from registers read from <paramref name="blockStart"/>.</summary>
    public static ModbusValue FromRegisters(ModbusRegisterMap point, ReadOnlySpan<ushort> registers, int blockStart, ModbusWordOrder defaultOrder)
    {
        ArgumentNullException.ThrowIfNull(point);
        var words = registers.Slice(point.Address - blockStart, point.Count);
        var order = point.WordOrderOr(defaultOrder);
        (double raw, long bits) = point.ValueType switch
        {
            ModbusValueType.Int16 => Integer(ModbusRegisterConverter.ToInt16(words)),
            ModbusValueType.UInt16 => Integer(ModbusRegisterConverter.ToUInt16(words)),
            ModbusValueType.Int32 => Integer(ModbusRegisterConverter.ToInt32(words, order)),
            ModbusValueType.UInt32 => Integer(ModbusRegisterConverter.ToUInt32(words, order)),
            ModbusValueType.Int64 => ((double)ModbusRegisterConverter.ToInt64(words, order), ModbusRegisterConverter.ToInt64(words, order)),
            ModbusValueType.Float32 => (ReadingScale.FromSingle(ModbusRegisterConverter.ToSingle(words, order)), 0L),
            ModbusValueType.Float64 => (ModbusRegisterConverter.ToDouble(words, order), 0L),
            _ => throw new ArgumentException($"{point.Name} is not a register value", nameof(point)),
        };
        return new ModbusValue(raw, bits, ReadingScale.Apply(raw, point.Scale, point.Offset));
    }

    /// <summary>Decodes a bool <paramref name="point"/> from bits read from <paramref name="blockStart"/>.</summary>
    public static ModbusValue FromBits(ModbusRegisterMap point, IReadOnlyList<bool> bits, int blockStart)
    {
        ArgumentNullException.ThrowIfNull(point);
        ArgumentNullException.ThrowIfNull(bits);
        var on = bits[point.Address - blockStart];
        return new ModbusValue(on ? 1 : 0, on ? 1 : 0, ReadingScale.Apply(on ? 1 : 0, point.Scale, point.Offset));
    }

    private static (double, long) Integer(long value) => (value, value);
}
