namespace EquipmentIoT.Protocols.Modbus;

/// <summary>Exception codes of an exception response (Modbus Application Protocol V1.1b3 §7).</summary>
public enum ModbusExceptionCode : byte
{
    /// <summary>01 The function code is not allowed for the server.</summary>
    IllegalFunction = 0x01,
    /// <summary>02 The data address (or address + quantity) is not allowed for the server.</summary>
    IllegalDataAddress = 0x02,
    /// <summary>03 A value in the request (e.g. a quantity) is not allowed.</summary>
    IllegalDataValue = 0x03,
    /// <summary>04 An unrecoverable error occurred while the server performed the action.</summary>
    ServerDeviceFailure = 0x04,
    /// <summary>05 Accepted, a long action is under way (poll later).</summary>
    Acknowledge = 0x05,
    /// <summary>06 The server is busy with a long command.</summary>
    ServerDeviceBusy = 0x06,
    /// <summary>08 Parity error in the extended file area (FC 20/21).</summary>
    MemoryParityError = 0x08,
    /// <summary>0A A gateway could not allocate a path to the target.</summary>
    GatewayPathUnavailable = 0x0A,
    /// <summary>0B A gateway got no response from the target device.</summary>
    GatewayTargetDeviceFailedToRespond = 0x0B,
}

/// <summary>Names of exception codes as the specification gives them.</summary>
public static class ModbusExceptionCodes
{
    /// <summary>The specification's name for <paramref name="code"/>, or "exception 0xNN" for an unknown code.</summary>
    public static string Name(ModbusExceptionCode code) => code switch
    {
        ModbusExceptionCode.IllegalFunction => "ILLEGAL FUNCTION",
        ModbusExceptionCode.IllegalDataAddress => "ILLEGAL DATA ADDRESS",
        ModbusExceptionCode.IllegalDataValue => "ILLEGAL DATA VALUE",
        ModbusExceptionCode.ServerDeviceFailure => "SERVER DEVICE FAILURE",
        ModbusExceptionCode.Acknowledge => "ACKNOWLEDGE",
        ModbusExceptionCode.ServerDeviceBusy => "SERVER DEVICE BUSY",
        ModbusExceptionCode.MemoryParityError => "MEMORY PARITY ERROR",
        ModbusExceptionCode.GatewayPathUnavailable => "GATEWAY PATH UNAVAILABLE",
        ModbusExceptionCode.GatewayTargetDeviceFailedToRespond => "GATEWAY TARGET DEVICE FAILED TO RESPOND",
        _ => $"exception 0x{(byte)code:X2}",
    };
}
