using EquipmentIoT.Protocols.Modbus.Pdu;

namespace EquipmentIoT.Protocols.Modbus.Server;

/// <summary>
/// Turns a request PDU into the response a server gives (Application Protocol §6 state diagrams): an
/// unsupported function answers 01, a bad quantity or byte count 03, an address outside the table 02.
/// </summary>
public static class ModbusRequestHandler
{
    /// <summary>The response to <paramref name="pdu"/>, served from <paramref name="model"/>.</summary>
    public static ModbusResponse Handle(ReadOnlySpan<byte> pdu, IModbusDataModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        ModbusRequest request;
        try
        {
            request = ModbusPdu.DecodeRequest(pdu);
        }
        catch (ModbusProtocolException e)
        {
            var function = pdu.IsEmpty ? (byte)0 : (byte)(pdu[0] & 0x7F);
            return ModbusResponse.Exception((ModbusFunctionCode)function, e.ReplyCode ?? ModbusExceptionCode.IllegalDataValue);
        }

        return Handle(request, model);
    }

    /// <summary>The response to a decoded <paramref name="request"/>.</summary>
    public static ModbusResponse Handle(ModbusRequest request, IModbusDataModel model)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(model);
        var f = request.Function;
        ModbusExceptionCode? error;
        switch (f)
        {
            case ModbusFunctionCode.ReadCoils or ModbusFunctionCode.ReadDiscreteInputs:
            {
                var bits = new bool[request.Quantity];
                error = model.ReadBits(f, request.Address, bits);
                return error is { } e ? ModbusResponse.Exception(f, e) : ModbusResponse.ReadBits(f, bits);
            }
            case ModbusFunctionCode.ReadHoldingRegisters or ModbusFunctionCode.ReadInputRegisters:
            {
                var registers = new ushort[request.Quantity];
                error = model.ReadRegisters(f, request.Address, registers);
                return error is { } e ? ModbusResponse.Exception(f, e) : ModbusResponse.ReadRegisters(f, registers);
            }
            case ModbusFunctionCode.WriteSingleCoil or ModbusFunctionCode.WriteMultipleCoils:
                error = model.WriteCoils(request.Address, [.. request.Coils]);
                break;
            default:
                error = model.WriteRegisters(request.Address, [.. request.Registers]);
                break;
        }

        return error is { } code ? ModbusResponse.Exception(f, code) : ModbusResponse.EchoOf(request);
    }
}
