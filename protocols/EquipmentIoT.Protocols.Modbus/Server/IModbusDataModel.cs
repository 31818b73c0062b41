namespace EquipmentIoT.Protocols.Modbus.Server;

/// <summary>
/// What a <see cref="ModbusServer"/> serves: the four tables of the data model (Application Protocol §4.3).
/// Each call returns null on success or the exception code to answer with (e.g.
/// <see cref="ModbusExceptionCode.IllegalDataAddress"/> when an address is outside the table). Calls come from
/// the server's connection loops concurrently: implementations are thread-safe.
/// </summary>
public interface IModbusDataModel
{
    /// <summary>Reads coils (FC 01) or discrete inputs (FC 02) into <paramref name="destination"/>.</summary>
    ModbusExceptionCode? ReadBits(ModbusFunctionCode table, ushort address, Span<bool> destination);

    /// <summary>Reads holding (FC 03) or input (FC 04) registers into <paramref name="destination"/>.</summary>
    ModbusExceptionCode? ReadRegisters(ModbusFunctionCode table, ushort address, Span<ushort> destination);

    /// <summary>Writes coils (FC 05, 15).</summary>
    ModbusExceptionCode? WriteCoils(ushort address, ReadOnlySpan<bool> values);

    /// <summary>Writes holding registers (FC 06, 16).</summary>
    ModbusExceptionCode? WriteRegisters(ushort address, ReadOnlySpan<ushort> values);
}
