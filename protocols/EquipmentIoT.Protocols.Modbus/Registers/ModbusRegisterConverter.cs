using System.Buffers.Binary;

namespace EquipmentIoT.Protocols.Modbus.Registers;

/// <summary>
/// How a value wider than one register is laid out. The specification fixes only the byte order inside a
/// register (big-endian, §4.2); devices differ in word order, and a few also swap the bytes.
/// </summary>
public enum ModbusWordOrder
{
    /// <summary>High word first (AB CD): the most common, "big-endian".</summary>
    Big,
    /// <summary>Low word first (CD AB): "word swap".</summary>
    Little,
    /// <summary>High word first, bytes swapped in each register (BA DC).</summary>
    BigByteSwap,
    /// <summary>Low word first, bytes swapped in each register (DC BA): the full little-endian image.</summary>
    LittleByteSwap,
}

/// <summary>Reads and writes int16/uint16/int32/uint32/float32/int64/float64 in registers.</summary>
public static class ModbusRegisterConverter
{
    /// <summary>A uint16 from one register.</summary>
    public static ushort ToUInt16(ReadOnlySpan<ushort> registers, ModbusWordOrder order = ModbusWordOrder.Big) =>
        BinaryPrimitives.ReadUInt16BigEndian(Image(registers, 1, order, stackalloc byte[2]));

    /// <summary>An int16 from one register.</summary>
    public static short ToInt16(ReadOnlySpan<ushort> registers, ModbusWordOrder order = ModbusWordOrder.Big) =>
        BinaryPrimitives.ReadInt16BigEndian(Image(registers, 1, order, stackalloc byte[2]));

    /// <summary>A uint32 from two registers.</summary>
    public static uint ToUInt32(ReadOnlySpan<ushort> registers, ModbusWordOrder order = ModbusWordOrder.Big) =>
        BinaryPrimitives.ReadUInt32BigEndian(Image(registers, 2, order, stackalloc byte[4]));

    /// <summary>An int32 from two registers.</summary>
    public static int ToInt32(ReadOnlySpan<ushort> registers, ModbusWordOrder order = ModbusWordOrder.Big) =>
        BinaryPrimitives.ReadInt32BigEndian(Image(registers, 2, order, stackalloc byte[4]));

    /// <summary>An IEEE 754 float32 from two registers.</summary>
    public static float ToSingle(ReadOnlySpan<ushort> registers, ModbusWordOrder order = ModbusWordOrder.Big) =>
        BinaryPrimitives.ReadSingleBigEndian(Image(registers, 2, order, stackalloc byte[4]));

    /// <summary>A uint64 from four registers.</summary>
    public static ulong ToUInt64(ReadOnlySpan<ushort> registers, ModbusWordOrder order = ModbusWordOrder.Big) =>
        BinaryPrimitives.ReadUInt64BigEndian(Image(registers, 4, order, stackalloc byte[8]));

    /// <summary>An int64 from four registers.</summary>
    public static long ToInt64(ReadOnlySpan<ushort> registers, ModbusWordOrder order = ModbusWordOrder.Big) =>
        BinaryPrimitives.ReadInt64BigEndian(Image(registers, 4, order, stackalloc byte[8]));

    /// <summary>An IEEE 754 float64 from four registers.</summary>
    public static double ToDouble(ReadOnlySpan<ushort> registers, ModbusWordOrder order = ModbusWordOrder.Big) =>
        BinaryPrimitives.ReadDoubleBigEndian(Image(registers, 4, order, stackalloc byte[8]));

    /// <summary>Writes a uint16.</summary>
    public static void FromUInt16(ushort value, Span<ushort> registers, ModbusWordOrder order = ModbusWordOrder.Big)
    {
        Span<byte> b = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(b, value);
        Place(b, registers, order);
    }

    /// <summary>Writes an int16.</summary>
    public static void FromInt16(short value, Span<ushort> registers, ModbusWordOrder order = ModbusWordOrder.Big) => FromUInt16(unchecked((ushort)value), registers, order);

    /// <summary>Writes a uint32.</summary>
    public static void FromUInt32(uint value, Span<ushort> registers, ModbusWordOrder order = ModbusWordOrder.Big)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, value);
        Place(b, registers, order);
    }

    /// <summary>Writes an int32.</summary>
    public static void FromInt32(int value, Span<ushort> registers, ModbusWordOrder order = ModbusWordOrder.Big) => FromUInt32(unchecked((uint)value), registers, order);

    /// <summary>Writes a float32.</summary>
    public static void FromSingle(float value, Span<ushort> registers, ModbusWordOrder order = ModbusWordOrder.Big) =>
        FromUInt32(BitConverter.SingleToUInt32Bits(value), registers, order);

    /// <summary>Writes a uint64.</summary>
    public static void FromUInt64(ulong value, Span<ushort> registers, ModbusWordOrder order = ModbusWordOrder.Big)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(b, value);
        Place(b, registers, order);
    }

    /// <summary>Writes an int64.</summary>
    public static void FromInt64(long value, Span<ushort> registers, ModbusWordOrder order = ModbusWordOrder.Big) => FromUInt64(unchecked((ulong)value), registers, order);

    /// <summary>Writes a float64.</summary>
    public static void FromDouble(double value, Span<ushort> registers, ModbusWordOrder order = ModbusWordOrder.Big) =>
        FromUInt64(BitConverter.DoubleToUInt64Bits(value), registers, order);

    // The value's big-endian byte image from the registers in wire order.
    private static Span<byte> Image(ReadOnlySpan<ushort> registers, int count, ModbusWordOrder order, Span<byte> image)
    {
        if (registers.Length < count) throw new ArgumentException($"{count} registers needed, {registers.Length} given", nameof(registers));
        var lowFirst = order is ModbusWordOrder.Little or ModbusWordOrder.LittleByteSwap;
        var swap = order is ModbusWordOrder.BigByteSwap or ModbusWordOrder.LittleByteSwap;
        for (var i = 0; i < count; i++)
        {
            var word = registers[lowFirst ? count - 1 - i : i];
            if (swap) word = BinaryPrimitives.ReverseEndianness(word);
            BinaryPrimitives.WriteUInt16BigEndian(image[(2 * i)..], word);
        }

        return image;
    }

    private static void Place(ReadOnlySpan<byte> image, Span<ushort> registers, ModbusWordOrder order)
    {
        var count = image.Length / 2;
        if (registers.Length < count) throw new ArgumentException($"{count} registers needed, {registers.Length} given", nameof(registers));
        var lowFirst = order is ModbusWordOrder.Little or ModbusWordOrder.LittleByteSwap;
        var swap = order is ModbusWordOrder.BigByteSwap or ModbusWordOrder.LittleByteSwap;
        for (var i = 0; i < count; i++)
        {
            var word = BinaryPrimitives.ReadUInt16BigEndian(image[(2 * i)..]);
            if (swap) word = BinaryPrimitives.ReverseEndianness(word);
            registers[lowFirst ? count - 1 - i : i] = word;
        }
    }
}
