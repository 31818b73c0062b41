namespace EquipmentIoT.Protocols.Modbus.Server;

/// <summary>
/// An in-memory <see cref="IModbusDataModel"/> with four separate tables of fixed sizes, for simulators and
/// tests. A simulator updates values from its own thread while clients read: every access takes one lock, so a
/// multi-register value set with one call is never seen half-written.
/// </summary>
public sealed class ModbusDataStore : IModbusDataModel
{
    private readonly Lock _gate = new();
    private readonly bool[] _coils;
    private readonly bool[] _discreteInputs;
    private readonly ushort[] _holding;
    private readonly ushort[] _input;

    /// <summary>Creates tables of the given sizes (0 to 65536 each); addresses past the end answer exception 02.</summary>
    public ModbusDataStore(int coils = 1024, int discreteInputs = 1024, int holdingRegisters = 1024, int inputRegisters = 1024)
    {
        _coils = new bool[CheckSize(coils)];
        _discreteInputs = new bool[CheckSize(discreteInputs)];
        _holding = new ushort[CheckSize(holdingRegisters)];
        _input = new ushort[CheckSize(inputRegisters)];
    }

    /// <summary>Raised after a client wrote holding registers (address, count); on the server's thread.</summary>
    public event Action<ushort, int>? RegistersWritten;

    /// <summary>Sets holding registers from <paramref name="address"/>.</summary>
    public void SetHoldingRegisters(ushort address, params ReadOnlySpan<ushort> values) => Set(_holding, address, values);

    /// <summary>Sets input registers from <paramref name="address"/>.</summary>
    public void SetInputRegisters(ushort address, params ReadOnlySpan<ushort> values) => Set(_input, address, values);

    /// <summary>Sets coils from <paramref name="address"/>.</summary>
    public void SetCoils(ushort address, params ReadOnlySpan<bool> values) => Set(_coils, address, values);

    /// <summary>Sets discrete inputs from <paramref name="address"/>.</summary>
    public void SetDiscreteInputs(ushort address, params ReadOnlySpan<bool> values) => Set(_discreteInputs, address, values);

    /// <summary>Reads holding registers (for a simulator reacting to writes).</summary>
    public ushort[] GetHoldingRegisters(ushort address, int count) => Get(_holding, address, count);

    /// <summary>Reads coils.</summary>
    public bool[] GetCoils(ushort address, int count) => Get(_coils, address, count);

    /// <inheritdoc/>
    public ModbusExceptionCode? ReadBits(ModbusFunctionCode table, ushort address, Span<bool> destination) => table switch
    {
        ModbusFunctionCode.ReadCoils => Read(_coils, address, destination),
        ModbusFunctionCode.ReadDiscreteInputs => Read(_discreteInputs, address, destination),
        _ => ModbusExceptionCode.IllegalFunction,
    };

    /// <inheritdoc/>
    public ModbusExceptionCode? ReadRegisters(ModbusFunctionCode table, ushort address, Span<ushort> destination) => table switch
    {
        ModbusFunctionCode.ReadHoldingRegisters => Read(_holding, address, destination),
        ModbusFunctionCode.ReadInputRegisters => Read(_input, address, destination),
        _ => ModbusExceptionCode.IllegalFunction,
    };

    /// <inheritdoc/>
    public ModbusExceptionCode? WriteCoils(ushort address, ReadOnlySpan<bool> values) => Write(_coils, address, values);

    /// <inheritdoc/>
    public ModbusExceptionCode? WriteRegisters(ushort address, ReadOnlySpan<ushort> values)
    {
        var result = Write(_holding, address, values);
        if (result is null) RegistersWritten?.Invoke(address, values.Length);
        return result;
    }

    private ModbusExceptionCode? Read<T>(T[] table, ushort address, Span<T> destination)
    {
        if (address + destination.Length > table.Length) return ModbusExceptionCode.IllegalDataAddress;
        lock (_gate) table.AsSpan(address, destination.Length).CopyTo(destination);
        return null;
    }

    private ModbusExceptionCode? Write<T>(T[] table, ushort address, ReadOnlySpan<T> values)
    {
        if (address + values.Length > table.Length) return ModbusExceptionCode.IllegalDataAddress;
        lock (_gate) values.CopyTo(table.AsSpan(address));
        return null;
    }

    private void Set<T>(T[] table, ushort address, ReadOnlySpan<T> values)
    {
        if (address + values.Length > table.Length) throw new ArgumentOutOfRangeException(nameof(address), address, $"the table holds {table.Length}");
        lock (_gate) values.CopyTo(table.AsSpan(address));
    }

    private T[] Get<T>(T[] table, ushort address, int count)
    {
        if (count < 0 || address + count > table.Length) throw new ArgumentOutOfRangeException(nameof(count), count, $"the table holds {table.Length}");
        lock (_gate) return table.AsSpan(address, count).ToArray();
    }

    private static int CheckSize(int size) => size is >= 0 and <= 65536 ? size : throw new ArgumentOutOfRangeException(nameof(size), size, "0 to 65536");
}
