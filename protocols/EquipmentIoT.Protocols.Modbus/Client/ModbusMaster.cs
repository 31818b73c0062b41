using EquipmentIoT.Protocols.Modbus.Pdu;

namespace EquipmentIoT.Protocols.Modbus.Client;

/// <summary>
/// A Modbus master (client): sends requests to a unit and checks each response against its request (function,
/// byte count, echoed address, value and quantity). Transports (<see cref="ModbusTcpMaster"/>,
/// <see cref="ModbusRtuMaster"/>) supply the exchange.
/// </summary>
public abstract class ModbusMaster : IAsyncDisposable
{
    private long _timeouts;
    private long _exceptionResponses;

    /// <summary>Requests that got no response in time.</summary>
    public long Timeouts => Interlocked.Read(ref _timeouts);

    /// <summary>Exception responses received.</summary>
    public long ExceptionResponses => Interlocked.Read(ref _exceptionResponses);

    /// <summary>
    /// Sends <paramref name="request"/> to <paramref name="unitId"/> and returns the checked response; null for
    /// a broadcast (unit 0 on a serial line), which gets none.
    /// </summary>
    /// <exception cref="ModbusExceptionResponseException">The unit answered with an exception response.</exception>
    /// <exception cref="ModbusProtocolException">The response broke the rules.</exception>
    /// <exception cref="ModbusCommunicationException">I/O failed or no response came in time.</exception>
    public async Task<ModbusResponse?> SendAsync(byte unitId, ModbusRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ModbusResponse? response;
        try
        {
            response = await ExchangeAsync(unitId, request, cancellationToken).ConfigureAwait(false);
        }
        catch (ModbusCommunicationException e) when (e.IsTimeout)
        {
            Interlocked.Increment(ref _timeouts);
            throw;
        }

        if (response is null) return null;
        if (response.ExceptionCode is { } code)
        {
            Interlocked.Increment(ref _exceptionResponses);
            if (response.Function != request.Function) throw Mismatch(request, $"an exception response for function {(byte)response.Function}");
            throw new ModbusExceptionResponseException(request.Function, code);
        }

        Check(request, response);
        return response;
    }

    /// <summary>FC 01: <paramref name="quantity"/> coils from <paramref name="address"/>.</summary>
    public async Task<bool[]> ReadCoilsAsync(byte unitId, ushort address, ushort quantity, CancellationToken cancellationToken) =>
        Bits(await SendRequired(unitId, ModbusRequest.ReadCoils(address, quantity), cancellationToken).ConfigureAwait(false), quantity);

    /// <summary>FC 02: <paramref name="quantity"/> discrete inputs from <paramref name="address"/>.</summary>
    public async Task<bool[]> ReadDiscreteInputsAsync(byte unitId, ushort address, ushort quantity, CancellationToken cancellationToken) =>
        Bits(await SendRequired(unitId, ModbusRequest.ReadDiscreteInputs(address, quantity), cancellationToken).ConfigureAwait(false), quantity);

    /// <summary>FC 03: <paramref name="quantity"/> holding registers from <paramref name="address"/>.</summary>
    public async Task<ushort[]> ReadHoldingRegistersAsync(byte unitId, ushort address, ushort quantity, CancellationToken cancellationToken) =>
        [.. (await SendRequired(unitId, ModbusRequest.ReadHoldingRegisters(address, quantity), cancellationToken).ConfigureAwait(false)).Registers];

    /// <summary>FC 04: <paramref name="quantity"/> input registers from <paramref name="address"/>.</summary>
    public async Task<ushort[]> ReadInputRegistersAsync(byte unitId, ushort address, ushort quantity, CancellationToken cancellationToken) =>
        [.. (await SendRequired(unitId, ModbusRequest.ReadInputRegisters(address, quantity), cancellationToken).ConfigureAwait(false)).Registers];

    /// <summary>FC 05.</summary>
    public Task WriteSingleCoilAsync(byte unitId, ushort address, bool value, CancellationToken cancellationToken) =>
        SendAsync(unitId, ModbusRequest.WriteSingleCoil(address, value), cancellationToken);

    /// <summary>FC 06.</summary>
    public Task WriteSingleRegisterAsync(byte unitId, ushort address, ushort value, CancellationToken cancellationToken) =>
        SendAsync(unitId, ModbusRequest.WriteSingleRegister(address, value), cancellationToken);

    /// <summary>FC 15.</summary>
    public Task WriteMultipleCoilsAsync(byte unitId, ushort address, IReadOnlyCollection<bool> values, CancellationToken cancellationToken) =>
        SendAsync(unitId, ModbusRequest.WriteMultipleCoils(address, values), cancellationToken);

    /// <summary>FC 16.</summary>
    public Task WriteMultipleRegistersAsync(byte unitId, ushort address, IReadOnlyCollection<ushort> values, CancellationToken cancellationToken) =>
        SendAsync(unitId, ModbusRequest.WriteMultipleRegisters(address, values), cancellationToken);

    /// <inheritdoc/>
    public abstract ValueTask DisposeAsync();

    /// <summary>Carries <paramref name="request"/> to the unit and returns its decoded response (null for a broadcast).</summary>
    protected abstract Task<ModbusResponse?> ExchangeAsync(byte unitId, ModbusRequest request, CancellationToken cancellationToken);

    private async Task<ModbusResponse> SendRequired(byte unitId, ModbusRequest request, CancellationToken cancellationToken)
    {
        return await SendAsync(unitId, request, cancellationToken).ConfigureAwait(false)
            ?? throw new ArgumentException("a read cannot be broadcast", nameof(request));
    }

    private static bool[] Bits(ModbusResponse response, ushort quantity) => [.. response.Bits.Take(quantity)];

    private static void Check(ModbusRequest request, ModbusResponse response)
    {
        if (response.Function != request.Function) throw Mismatch(request, $"function {(byte)response.Function}");
        switch (request.Function)
        {
            case ModbusFunctionCode.ReadCoils or ModbusFunctionCode.ReadDiscreteInputs:
                // §6.1: N = quantity / 8, +1 if the remainder is not 0.
                if (response.Bits.Count != (request.Quantity + 7) / 8 * 8) throw Mismatch(request, $"{response.Bits.Count / 8} data bytes for {request.Quantity} bits");
                break;
            case ModbusFunctionCode.ReadHoldingRegisters or ModbusFunctionCode.ReadInputRegisters:
                if (response.Registers.Count != request.Quantity) throw Mismatch(request, $"{response.Registers.Count} registers for {request.Quantity}");
                break;
            case ModbusFunctionCode.WriteSingleCoil:
                if (response.Address != request.Address || response.Bits[0] != request.Coils[0]) throw Mismatch(request, "an echo that differs from the request");
                break;
            case ModbusFunctionCode.WriteSingleRegister:
                if (response.Address != request.Address || response.Registers[0] != request.Registers[0]) throw Mismatch(request, "an echo that differs from the request");
                break;
            default:
                if (response.Address != request.Address || response.Quantity != request.Quantity) throw Mismatch(request, "an echo that differs from the request");
                break;
        }
    }

    private static ModbusProtocolException Mismatch(ModbusRequest request, string what) =>
        new($"Modbus response to function {(byte)request.Function} at address {request.Address}: got {what}");
}
