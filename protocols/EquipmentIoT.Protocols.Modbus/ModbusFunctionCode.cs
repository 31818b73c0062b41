namespace EquipmentIoT.Protocols.Modbus;

/// <summary>The public function codes this library speaks (Modbus Application Protocol V1.1b3 §6).</summary>
public enum ModbusFunctionCode : byte
{
    /// <summary>0x01 Read Coils (§6.1).</summary>
    ReadCoils = 0x01,
    /// <summary>0x02 Read Discrete Inputs (§6.2).</summary>
    ReadDiscreteInputs = 0x02,
    /// <summary>0x03 Read Holding Registers (§6.3).</summary>
    ReadHoldingRegisters = 0x03,
    /// <summary>0x04 Read Input Registers (§6.4).</summary>
    ReadInputRegisters = 0x04,
    /// <summary>0x05 Write Single Coil (§6.5).</summary>
    WriteSingleCoil = 0x05,
    /// <summary>0x06 Write Single Register (§6.6).</summary>
    WriteSingleRegister = 0x06,
    /// <summary>0x0F Write Multiple Coils (§6.11).</summary>
    WriteMultipleCoils = 0x0F,
    /// <summary>0x10 Write Multiple Registers (§6.12).</summary>
    WriteMultipleRegisters = 0x10,
}

/// <summary>Helpers on <see cref="ModbusFunctionCode"/>.</summary>
public static class ModbusFunctionCodes
{
    /// <summary>Bit 7 set on the function code marks an exception response (§7).</summary>
    public const byte ExceptionFlag = 0x80;

    /// <summary>True for the eight function codes this library implements.</summary>
    public static bool IsSupported(byte code) => code is 1 or 2 or 3 or 4 or 5 or 6 or 15 or 16;

    /// <summary>True for FC 1 and 2 (bit reads) and 5 and 15 (coil writes).</summary>
    public static bool IsBitAccess(this ModbusFunctionCode code) =>
        code is ModbusFunctionCode.ReadCoils or ModbusFunctionCode.ReadDiscreteInputs
            or ModbusFunctionCode.WriteSingleCoil or ModbusFunctionCode.WriteMultipleCoils;

    /// <summary>True for FC 1–4.</summary>
    public static bool IsRead(this ModbusFunctionCode code) => (byte)code is >= 1 and <= 4;
}
