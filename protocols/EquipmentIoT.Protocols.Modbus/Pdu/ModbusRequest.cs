namespace EquipmentIoT.Protocols.Modbus.Pdu;

/// <summary>
/// A request PDU (function code + data, Application Protocol §4.1). Reads carry
/// <see cref="Address"/> and <see cref="Quantity"/>; FC 05 carries one value in <see cref="Coils"/>, FC 06 one in
/// <see cref="Registers"/>; FC 15/16 carry <see cref="Quantity"/> values. Build with the factory methods.
/// </summary>
public sealed record ModbusRequest
{
    private ModbusRequest(ModbusFunctionCode function, ushort address, ushort quantity, bool[]? coils, ushort[]? registers)
    {
        Function = function;
        Address = address;
        Quantity = quantity;
        Coils = coils ?? [];
        Registers = registers ?? [];
    }

    /// <summary>The function code.</summary>
    public ModbusFunctionCode Function { get; }

    /// <summary>The 0-based protocol address of the first item (register 40001 is address 0).</summary>
    public ushort Address { get; }

    /// <summary>How many bits or registers (1 for FC 05/06).</summary>
    public ushort Quantity { get; }

    /// <summary>Coil values for FC 05 (one) and FC 15.</summary>
    public IReadOnlyList<bool> Coils { get; }

    /// <summary>Register values for FC 06 (one) and FC 16.</summary>
    public IReadOnlyList<ushort> Registers { get; }

    /// <summary>FC 01.</summary>
    public static ModbusRequest ReadCoils(ushort address, ushort quantity) => Read(ModbusFunctionCode.ReadCoils, address, quantity);

    /// <summary>FC 02.</summary>
    public static ModbusRequest ReadDiscreteInputs(ushort address, ushort quantity) => Read(ModbusFunctionCode.ReadDiscreteInputs, address, quantity);

    /// <summary>FC 03.</summary>
    public static ModbusRequest ReadHoldingRegisters(ushort address, ushort quantity) => Read(ModbusFunctionCode.ReadHoldingRegisters, address, quantity);

    /// <summary>FC 04.</summary>
    public static ModbusRequest ReadInputRegisters(ushort address, ushort quantity) => Read(ModbusFunctionCode.ReadInputRegisters, address, quantity);

    /// <summary>FC 05.</summary>
    public static ModbusRequest WriteSingleCoil(ushort address, bool value) => new(ModbusFunctionCode.WriteSingleCoil, address, 1, [value], null);

    /// <summary>FC 06.</summary>
    public static ModbusRequest WriteSingleRegister(ushort address, ushort value) => new(ModbusFunctionCode.WriteSingleRegister, address, 1, null, [value]);

    /// <summary>FC 15 (1–1968 coils).</summary>
    public static ModbusRequest WriteMultipleCoils(ushort address, IReadOnlyCollection<bool> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        CheckRange(ModbusFunctionCode.WriteMultipleCoils, address, values.Count);
        return new(ModbusFunctionCode.WriteMultipleCoils, address, (ushort)values.Count, [.. values], null);
    }

    /// <summary>FC 16 (1–123 registers).</summary>
    public static ModbusRequest WriteMultipleRegisters(ushort address, IReadOnlyCollection<ushort> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        CheckRange(ModbusFunctionCode.WriteMultipleRegisters, address, values.Count);
        return new(ModbusFunctionCode.WriteMultipleRegisters, address, (ushort)values.Count, null, [.. values]);
    }

    /// <summary>A read (FC 01–04) of <paramref name="quantity"/> items from <paramref name="address"/>.</summary>
    public static ModbusRequest Read(ModbusFunctionCode function, ushort address, ushort quantity)
    {
        if (!function.IsRead()) throw new ArgumentOutOfRangeException(nameof(function), function, "not a read function");
        CheckRange(function, address, quantity);
        return new(function, address, quantity, null, null);
    }

    internal static ModbusRequest Unchecked(ModbusFunctionCode function, ushort address, ushort quantity, bool[]? coils, ushort[]? registers) =>
        new(function, address, quantity, coils, registers);

    private static void CheckRange(ModbusFunctionCode function, ushort address, int quantity)
    {
        var max = ModbusLimits.MaxQuantity(function);
        if (quantity < 1 || quantity > max)
            throw new ArgumentOutOfRangeException(nameof(quantity), quantity, $"function {(byte)function} allows 1 to {max}");
        if (address + quantity > 0x10000)
            throw new ArgumentOutOfRangeException(nameof(quantity), quantity, $"address {address} + quantity {quantity} passes 65535");
    }
}
