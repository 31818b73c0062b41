namespace EquipmentIoT.Protocols.Modbus;

/// <summary>Sizes and quantities fixed by the specifications.</summary>
public static class ModbusLimits
{
    /// <summary>Largest PDU: 256 (RS-485 ADU) − 1 (address) − 2 (CRC) (Application Protocol §4.1).</summary>
    public const int MaxPduLength = 253;

    /// <summary>Largest TCP ADU: 7-byte MBAP header + 253 (§4.1).</summary>
    public const int MaxTcpAduLength = 260;

    /// <summary>Largest RTU ADU: address + PDU + CRC (Serial Line V1.02 §2.5.1).</summary>
    public const int MaxRtuAduLength = 256;

    /// <summary>Smallest RTU ADU: address, function, CRC (an exception response is 5).</summary>
    public const int MinRtuAduLength = 4;

    /// <summary>MBAP header length (TCP/IP Implementation Guide §3.1.3).</summary>
    public const int MbapHeaderLength = 7;

    /// <summary>FC 01/02: quantity of inputs 1 to 2000 (0x7D0) (§6.1, §6.2).</summary>
    public const int MaxReadBits = 2000;

    /// <summary>FC 03/04: quantity of registers 1 to 125 (0x7D) (§6.3, §6.4).</summary>
    public const int MaxReadRegisters = 125;

    /// <summary>FC 15: quantity of outputs 1 to 1968 (0x7B0) (§6.11).</summary>
    public const int MaxWriteCoils = 1968;

    /// <summary>FC 16: quantity of registers 1 to 123 (0x7B) (§6.12).</summary>
    public const int MaxWriteRegisters = 123;

    /// <summary>Highest unicast slave address on a serial line (Serial Line V1.02 §2.2); 0 is broadcast.</summary>
    public const byte MaxUnitAddress = 247;

    /// <summary>The most quantity allowed for a read or write of <paramref name="function"/>.</summary>
    public static int MaxQuantity(ModbusFunctionCode function) => function switch
    {
        ModbusFunctionCode.ReadCoils or ModbusFunctionCode.ReadDiscreteInputs => MaxReadBits,
        ModbusFunctionCode.ReadHoldingRegisters or ModbusFunctionCode.ReadInputRegisters => MaxReadRegisters,
        ModbusFunctionCode.WriteMultipleCoils => MaxWriteCoils,
        ModbusFunctionCode.WriteMultipleRegisters => MaxWriteRegisters,
        _ => 1,
    };
}
