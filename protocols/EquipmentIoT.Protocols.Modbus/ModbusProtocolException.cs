namespace EquipmentIoT.Protocols.Modbus;

/// <summary>
/// The peer broke the Modbus rules (a malformed frame, a wrong function or length in a response, a bad CRC)
/// or answered with an exception response (<see cref="ModbusExceptionResponseException"/>). Not transient:
/// asking again the same way gets the same answer. Decode errors name the message, the field and the offset.
/// </summary>
public class ModbusProtocolException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ModbusProtocolException(string message) : base(message) { }

    /// <summary>Creates the exception with an inner cause.</summary>
    public ModbusProtocolException(string message, Exception inner) : base(message, inner) { }

    /// <summary>Creates the exception.</summary>
    public ModbusProtocolException() : base("Modbus protocol violation") { }

    /// <summary>For a bad request: the exception code a server answers it with (§7), when there is one.</summary>
    public ModbusExceptionCode? ReplyCode { get; init; }

    internal static ModbusProtocolException Field(string message, string field, int offset, string problem,
        ModbusExceptionCode? replyCode = null) =>
        new($"Modbus {message}: {field} at offset {offset}: {problem}") { ReplyCode = replyCode };
}

/// <summary>The server answered with an exception response (function code | 0x80 and an exception code, §7).</summary>
public sealed class ModbusExceptionResponseException : ModbusProtocolException
{
    /// <summary>Creates the exception for <paramref name="code"/> answered to <paramref name="function"/>.</summary>
    public ModbusExceptionResponseException(ModbusFunctionCode function, ModbusExceptionCode code)
        : base($"Modbus exception response to function {(byte)function}: {(byte)code:X2} {ModbusExceptionCodes.Name(code)}")
    {
        Function = function;
        Code = code;
    }

    /// <summary>Creates the exception.</summary>
    public ModbusExceptionResponseException() : this(ModbusFunctionCode.ReadHoldingRegisters, ModbusExceptionCode.ServerDeviceFailure) { }

    /// <summary>Creates the exception.</summary>
    public ModbusExceptionResponseException(string message) : base(message) { }

    /// <summary>Creates the exception.</summary>
    public ModbusExceptionResponseException(string message, Exception inner) : base(message, inner) { }

    /// <summary>The function the request had.</summary>
    public ModbusFunctionCode Function { get; }

    /// <summary>The exception code.</summary>
    public ModbusExceptionCode Code { get; }
}

/// <summary>
/// The exchange failed below the protocol: socket or serial I/O errors, no response within the timeout, a
/// frame lost to noise (bad CRC on a serial line). Transient: a later request may succeed.
/// </summary>
public sealed class ModbusCommunicationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ModbusCommunicationException(string message) : base(message) { }

    /// <summary>Creates the exception with an inner cause.</summary>
    public ModbusCommunicationException(string message, Exception inner) : base(message, inner) { }

    /// <summary>Creates the exception.</summary>
    public ModbusCommunicationException() : base("Modbus communication failed") { }

    /// <summary>True when no response came within the timeout (the device may be dead or slow).</summary>
    public bool IsTimeout { get; init; }

    /// <summary>True (the default) when trying again later may succeed.</summary>
    public bool IsTransient { get; init; } = true;
}
