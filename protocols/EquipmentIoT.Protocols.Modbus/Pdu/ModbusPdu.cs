using System.Buffers;
using System.Buffers.Binary;

namespace EquipmentIoT.Protocols.Modbus.Pdu;

/// <summary>
/// The PDU codec (Application Protocol V1.1b3 §4.1, §6, §7): pure and synchronous. All fields are big-endian;
/// bits are packed LSB first, the first coil in bit 0 of the first data byte (§6.1). Decoders check every
/// length and quantity before allocating and throw <see cref="ModbusProtocolException"/> naming the field
/// and its offset within the PDU.
/// </summary>
public static class ModbusPdu
{
    // A bit read answers at most ceil(2000 / 8) = 250 bytes; a register read 125 × 2 = 250 (§6.1, §6.3).
    private const int MaxReadByteCount = 250;

    /// <summary>Writes <paramref name="request"/>'s PDU.</summary>
    public static void EncodeRequest(ModbusRequest request, IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(writer);
        var f = request.Function;
        switch (f)
        {
            case ModbusFunctionCode.ReadCoils or ModbusFunctionCode.ReadDiscreteInputs
                or ModbusFunctionCode.ReadHoldingRegisters or ModbusFunctionCode.ReadInputRegisters:
                // 00 function | 01-02 starting address | 03-04 quantity (§6.1–6.4)
                WriteHeader(writer, (byte)f, request.Address, request.Quantity);
                break;
            case ModbusFunctionCode.WriteSingleCoil:
                // 00 function | 01-02 output address | 03-04 output value FF 00 (on) or 00 00 (off) (§6.5)
                WriteHeader(writer, (byte)f, request.Address, request.Coils[0] ? (ushort)0xFF00 : (ushort)0x0000);
                break;
            case ModbusFunctionCode.WriteSingleRegister:
                // 00 function | 01-02 register address | 03-04 register value (§6.6)
                WriteHeader(writer, (byte)f, request.Address, request.Registers[0]);
                break;
            case ModbusFunctionCode.WriteMultipleCoils:
            {
                // 00 function | 01-02 starting address | 03-04 quantity | 05 byte count N | 06.. outputs (§6.11)
                var n = (request.Quantity + 7) / 8;
                var span = writer.GetSpan(6 + n);
                Header(span, (byte)f, request.Address, request.Quantity);
                span[5] = (byte)n;
                PackBits(request.Coils, span.Slice(6, n));
                writer.Advance(6 + n);
                break;
            }
            case ModbusFunctionCode.WriteMultipleRegisters:
            {
                // 00 function | 01-02 starting address | 03-04 quantity | 05 byte count 2N | 06.. registers (§6.12)
                var n = request.Quantity * 2;
                var span = writer.GetSpan(6 + n);
                Header(span, (byte)f, request.Address, request.Quantity);
                span[5] = (byte)n;
                WriteRegisters(request.Registers, span.Slice(6, n));
                writer.Advance(6 + n);
                break;
            }
            default:
                throw new ArgumentException($"function {(byte)f} is not supported", nameof(request));
        }
    }

    /// <summary>Writes <paramref name="response"/>'s PDU.</summary>
    public static void EncodeResponse(ModbusResponse response, IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(writer);
        var f = response.Function;
        if (response.ExceptionCode is { } code)
        {
            // 00 function | 0x80 | 01 exception code (§7)
            var e = writer.GetSpan(2);
            e[0] = (byte)((byte)f | ModbusFunctionCodes.ExceptionFlag);
            e[1] = (byte)code;
            writer.Advance(2);
            return;
        }

        switch (f)
        {
            case ModbusFunctionCode.ReadCoils or ModbusFunctionCode.ReadDiscreteInputs:
            {
                // 00 function | 01 byte count N | 02.. status, LSB first, zero-padded (§6.1)
                var n = (response.Bits.Count + 7) / 8;
                var span = writer.GetSpan(2 + n);
                span[0] = (byte)f;
                span[1] = (byte)n;
                PackBits(response.Bits, span.Slice(2, n));
                writer.Advance(2 + n);
                break;
            }
            case ModbusFunctionCode.ReadHoldingRegisters or ModbusFunctionCode.ReadInputRegisters:
            {
                // 00 function | 01 byte count 2N | 02.. registers, high byte first (§6.3)
                var n = response.Registers.Count * 2;
                var span = writer.GetSpan(2 + n);
                span[0] = (byte)f;
                span[1] = (byte)n;
                WriteRegisters(response.Registers, span.Slice(2, n));
                writer.Advance(2 + n);
                break;
            }
            case ModbusFunctionCode.WriteSingleCoil:
                WriteHeader(writer, (byte)f, response.Address, response.Bits[0] ? (ushort)0xFF00 : (ushort)0);
                break;
            case ModbusFunctionCode.WriteSingleRegister:
                WriteHeader(writer, (byte)f, response.Address, response.Registers[0]);
                break;
            case ModbusFunctionCode.WriteMultipleCoils or ModbusFunctionCode.WriteMultipleRegisters:
                // 00 function | 01-02 starting address | 03-04 quantity (§6.11, §6.12)
                WriteHeader(writer, (byte)f, response.Address, response.Quantity);
                break;
            default:
                throw new ArgumentException($"function {(byte)f} is not supported", nameof(response));
        }
    }

    /// <summary>
    /// The length of the request PDU starting with <paramref name="head"/>, or the number of bytes needed to
    /// tell (when <paramref name="head"/> is shorter); -1 for a function code whose length is not known.
    /// </summary>
    public static int RequestLength(ReadOnlySpan<byte> head)
    {
        if (head.IsEmpty) return 1;
        return head[0] switch
        {
            1 or 2 or 3 or 4 or 5 or 6 => 5,
            15 or 16 => head.Length < 6 ? 6 : 6 + head[5],
            _ => -1,
        };
    }

    /// <summary>As <see cref="RequestLength"/>, for a response PDU (an exception response is 2 bytes).</summary>
    public static int ResponseLength(ReadOnlySpan<byte> head)
    {
        if (head.IsEmpty) return 1;
        var f = head[0];
        if ((f & ModbusFunctionCodes.ExceptionFlag) != 0) return ModbusFunctionCodes.IsSupported((byte)(f & 0x7F)) ? 2 : -1;
        return f switch
        {
            1 or 2 or 3 or 4 => head.Length < 2 ? 2 : 2 + head[1],
            5 or 6 or 15 or 16 => 5,
            _ => -1,
        };
    }

    /// <summary>Decodes a request PDU; a bad one throws with <see cref="ModbusProtocolException.ReplyCode"/> set.</summary>
    public static ModbusRequest DecodeRequest(ReadOnlySpan<byte> pdu)
    {
        const string msg = "request";
        if (pdu.IsEmpty) throw ModbusProtocolException.Field(msg, "function code", 0, "missing", ModbusExceptionCode.IllegalFunction);
        if (pdu.Length > ModbusLimits.MaxPduLength) throw ModbusProtocolException.Field(msg, "PDU", 0, $"{pdu.Length} bytes, more than {ModbusLimits.MaxPduLength}", ModbusExceptionCode.IllegalDataValue);
        var code = pdu[0];
        if (!ModbusFunctionCodes.IsSupported(code)) throw ModbusProtocolException.Field(msg, "function code", 0, $"{code} is not supported", ModbusExceptionCode.IllegalFunction);
        var f = (ModbusFunctionCode)code;
        if (pdu.Length < 5) throw ModbusProtocolException.Field(msg, "PDU", pdu.Length, $"function {code} needs at least 5 bytes, got {pdu.Length}", ModbusExceptionCode.IllegalDataValue);
        var address = BinaryPrimitives.ReadUInt16BigEndian(pdu[1..]);
        var word = BinaryPrimitives.ReadUInt16BigEndian(pdu[3..]);
        switch (f)
        {
            case ModbusFunctionCode.WriteSingleCoil:
                ExpectLength(msg, pdu, 5);
                if (word is not (0xFF00 or 0x0000)) throw ModbusProtocolException.Field(msg, "output value", 3, $"0x{word:X4} is neither 0xFF00 nor 0x0000", ModbusExceptionCode.IllegalDataValue);
                return ModbusRequest.Unchecked(f, address, 1, [word == 0xFF00], null);
            case ModbusFunctionCode.WriteSingleRegister:
                ExpectLength(msg, pdu, 5);
                return ModbusRequest.Unchecked(f, address, 1, null, [word]);
            case ModbusFunctionCode.WriteMultipleCoils or ModbusFunctionCode.WriteMultipleRegisters:
            {
                CheckQuantity(msg, f, address, word);
                if (pdu.Length < 6) throw ModbusProtocolException.Field(msg, "byte count", 5, "missing", ModbusExceptionCode.IllegalDataValue);
                var expected = f == ModbusFunctionCode.WriteMultipleCoils ? (word + 7) / 8 : word * 2;
                if (pdu[5] != expected) throw ModbusProtocolException.Field(msg, "byte count", 5, $"{pdu[5]}, quantity {word} needs {expected}", ModbusExceptionCode.IllegalDataValue);
                ExpectLength(msg, pdu, 6 + expected);
                var data = pdu.Slice(6, expected);
                return f == ModbusFunctionCode.WriteMultipleCoils
                    ? ModbusRequest.Unchecked(f, address, word, UnpackBits(data, word), null)
                    : ModbusRequest.Unchecked(f, address, word, null, ReadRegisters(data));
            }
            default:
                ExpectLength(msg, pdu, 5);
                CheckQuantity(msg, f, address, word);
                return ModbusRequest.Unchecked(f, address, word, null, null);
        }
    }

    /// <summary>Decodes a response PDU (which may be an exception response).</summary>
    public static ModbusResponse DecodeResponse(ReadOnlySpan<byte> pdu)
    {
        const string msg = "response";
        if (pdu.IsEmpty) throw ModbusProtocolException.Field(msg, "function code", 0, "missing");
        if (pdu.Length > ModbusLimits.MaxPduLength) throw ModbusProtocolException.Field(msg, "PDU", 0, $"{pdu.Length} bytes, more than {ModbusLimits.MaxPduLength}");
        var code = pdu[0];
        if ((code & ModbusFunctionCodes.ExceptionFlag) != 0)
        {
            ExpectLength(msg, pdu, 2);
            return ModbusResponse.Exception((ModbusFunctionCode)(code & 0x7F), (ModbusExceptionCode)pdu[1]);
        }

        if (!ModbusFunctionCodes.IsSupported(code)) throw ModbusProtocolException.Field(msg, "function code", 0, $"{code} is not supported");
        var f = (ModbusFunctionCode)code;
        if (f.IsRead())
        {
            if (pdu.Length < 2) throw ModbusProtocolException.Field(msg, "byte count", 1, "missing");
            var n = pdu[1];
            var registers = f is ModbusFunctionCode.ReadHoldingRegisters or ModbusFunctionCode.ReadInputRegisters;
            if (n == 0 || n > MaxReadByteCount || (registers && n % 2 != 0))
                throw ModbusProtocolException.Field(msg, "byte count", 1, $"{n} is not a valid byte count for function {code}");
            ExpectLength(msg, pdu, 2 + n);
            var data = pdu.Slice(2, n);
            return registers
                ? ModbusResponse.Unchecked(f, 0, (ushort)(n / 2), null, ReadRegisters(data))
                : ModbusResponse.Unchecked(f, 0, (ushort)(n * 8), UnpackBits(data, n * 8), null);
        }

        ExpectLength(msg, pdu, 5);
        var address = BinaryPrimitives.ReadUInt16BigEndian(pdu[1..]);
        var word = BinaryPrimitives.ReadUInt16BigEndian(pdu[3..]);
        switch (f)
        {
            case ModbusFunctionCode.WriteSingleCoil:
                if (word is not (0xFF00 or 0x0000)) throw ModbusProtocolException.Field(msg, "output value", 3, $"0x{word:X4} is neither 0xFF00 nor 0x0000");
                return ModbusResponse.Unchecked(f, address, 1, [word == 0xFF00], null);
            case ModbusFunctionCode.WriteSingleRegister:
                return ModbusResponse.Unchecked(f, address, 1, null, [word]);
            default:
                CheckQuantity(msg, f, address, word);
                return ModbusResponse.Unchecked(f, address, word, null, null);
        }
    }

    private static void ExpectLength(string msg, ReadOnlySpan<byte> pdu, int expected)
    {
        if (pdu.Length != expected)
            throw ModbusProtocolException.Field(msg, "PDU length", Math.Min(pdu.Length, expected), $"function {pdu[0]} needs {expected} bytes, got {pdu.Length}", ModbusExceptionCode.IllegalDataValue);
    }

    private static void CheckQuantity(string msg, ModbusFunctionCode f, ushort address, ushort quantity)
    {
        var max = ModbusLimits.MaxQuantity(f);
        if (quantity < 1 || quantity > max)
            throw ModbusProtocolException.Field(msg, "quantity", 3, $"{quantity} is outside 1..{max} for function {(byte)f}", ModbusExceptionCode.IllegalDataValue);
        if (address + quantity > 0x10000)
            throw ModbusProtocolException.Field(msg, "starting address", 1, $"{address} + quantity {quantity} passes 65535", ModbusExceptionCode.IllegalDataAddress);
    }

    private static void WriteHeader(IBufferWriter<byte> writer, byte function, ushort first, ushort second)
    {
        var span = writer.GetSpan(5);
        Header(span, function, first, second);
        writer.Advance(5);
    }

    private static void Header(Span<byte> span, byte function, ushort first, ushort second)
    {
        span[0] = function;
        BinaryPrimitives.WriteUInt16BigEndian(span[1..], first);
        BinaryPrimitives.WriteUInt16BigEndian(span[3..], second);
    }

    private static void PackBits(IReadOnlyList<bool> bits, Span<byte> destination)
    {
        destination.Clear();
        for (var i = 0; i < bits.Count; i++)
        {
            if (bits[i]) destination[i >> 3] |= (byte)(1 << (i & 7));
        }
    }

    private static bool[] UnpackBits(ReadOnlySpan<byte> data, int count)
    {
        var bits = new bool[count];
        for (var i = 0; i < count; i++) bits[i] = (data[i >> 3] & (1 << (i & 7))) != 0;
        return bits;
    }

    private static void WriteRegisters(IReadOnlyList<ushort> registers, Span<byte> destination)
    {
        for (var i = 0; i < registers.Count; i++) BinaryPrimitives.WriteUInt16BigEndian(destination[(2 * i)..], registers[i]);
    }

    private static ushort[] ReadRegisters(ReadOnlySpan<byte> data)
    {
        var registers = new ushort[data.Length / 2];
        for (var i = 0; i < registers.Length; i++) registers[i] = BinaryPrimitives.ReadUInt16BigEndian(data[(2 * i)..]);
        return registers;
    }
}
