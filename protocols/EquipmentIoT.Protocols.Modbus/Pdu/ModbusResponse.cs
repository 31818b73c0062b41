namespace EquipmentIoT.Protocols.Modbus.Pdu;

/// <summary>
/// A response PDU (§6). Reads carry <see cref="Bits"/> (FC 01/02: byte count × 8 bits, padded with zeros, §6.1)
/// or <see cref="Registers"/>; FC 05/06 echo address and value; FC 15/16 echo address and quantity; an
/// exception response carries <see cref="ExceptionCode"/>.
/// </summary>
public sealed record ModbusResponse
{
    private ModbusResponse(ModbusFunctionCode function, ModbusExceptionCode? exceptionCode, ushort address, ushort quantity, bool[]? bits, ushort[]? registers)
    {
        Function = function;
        ExceptionCode = exceptionCode;
        Address = address;
        Quantity = quantity;
        Bits = bits ?? [];
        Registers = registers ?? [];
    }

    /// <summary>The function the request had (without the 0x80 flag).</summary>
    public ModbusFunctionCode Function { get; }

    /// <summary>Set for an exception response.</summary>
    public ModbusExceptionCode? ExceptionCode { get; }

    /// <summary>FC 05/06/15/16: the echoed address.</summary>
    public ushort Address { get; }

    /// <summary>FC 15/16: the echoed quantity.</summary>
    public ushort Quantity { get; }

    /// <summary>FC 01/02: the bits read (a multiple of 8; the rest past the request's quantity are zero); FC 05: the value written.</summary>
    public IReadOnlyList<bool> Bits { get; }

    /// <summary>FC 03/04: the registers read; FC 06: the value written.</summary>
    public IReadOnlyList<ushort> Registers { get; }

    /// <summary>An FC 01/02 response.</summary>
    public static ModbusResponse ReadBits(ModbusFunctionCode function, IReadOnlyCollection<bool> bits)
    {
        ArgumentNullException.ThrowIfNull(bits);
        if (function is not (ModbusFunctionCode.ReadCoils or ModbusFunctionCode.ReadDiscreteInputs))
            throw new ArgumentOutOfRangeException(nameof(function), function, "not a bit read");
        if (bits.Count is < 1 or > ModbusLimits.MaxReadBits) throw new ArgumentOutOfRangeException(nameof(bits), bits.Count, "1 to 2000 bits");
        return new(function, null, 0, (ushort)bits.Count, [.. bits], null);
    }

    /// <summary>An FC 03/04 response.</summary>
    public static ModbusResponse ReadRegisters(ModbusFunctionCode function, IReadOnlyCollection<ushort> registers)
    {
        ArgumentNullException.ThrowIfNull(registers);
        if (function is not (ModbusFunctionCode.ReadHoldingRegisters or ModbusFunctionCode.ReadInputRegisters))
            throw new ArgumentOutOfRangeException(nameof(function), function, "not a register read");
        if (registers.Count is < 1 or > ModbusLimits.MaxReadRegisters) throw new ArgumentOutOfRangeException(nameof(registers), registers.Count, "1 to 125 registers");
        return new(function, null, 0, (ushort)registers.Count, null, [.. registers]);
    }

    /// <summary>The FC 05 echo.</summary>
    public static ModbusResponse WriteSingleCoil(ushort address, bool value) => new(ModbusFunctionCode.WriteSingleCoil, null, address, 1, [value], null);

    /// <summary>The FC 06 echo.</summary>
    public static ModbusResponse WriteSingleRegister(ushort address, ushort value) => new(ModbusFunctionCode.WriteSingleRegister, null, address, 1, null, [value]);

    /// <summary>The FC 15/16 echo.</summary>
    public static ModbusResponse WriteMultiple(ModbusFunctionCode function, ushort address, ushort quantity)
    {
        if (function is not (ModbusFunctionCode.WriteMultipleCoils or ModbusFunctionCode.WriteMultipleRegisters))
            throw new ArgumentOutOfRangeException(nameof(function), function, "not a multiple write");
        return new(function, null, address, quantity, null, null);
    }

    /// <summary>An exception response to <paramref name="function"/>.</summary>
    public static ModbusResponse Exception(ModbusFunctionCode function, ModbusExceptionCode code) => new(function, code, 0, 0, null, null);

    /// <summary>The response a server gives to <paramref name="request"/> after a successful write.</summary>
    public static ModbusResponse EchoOf(ModbusRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Function switch
        {
            ModbusFunctionCode.WriteSingleCoil => WriteSingleCoil(request.Address, request.Coils[0]),
            ModbusFunctionCode.WriteSingleRegister => WriteSingleRegister(request.Address, request.Registers[0]),
            ModbusFunctionCode.WriteMultipleCoils or ModbusFunctionCode.WriteMultipleRegisters => WriteMultiple(request.Function, request.Address, request.Quantity),
            _ => throw new ArgumentException("not a write", nameof(request)),
        };
    }

    internal static ModbusResponse Unchecked(ModbusFunctionCode function, ushort address, ushort quantity, bool[]? bits, ushort[]? registers) =>
        new(function, null, address, quantity, bits, registers);
}
