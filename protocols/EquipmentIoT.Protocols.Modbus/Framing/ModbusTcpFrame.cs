using System.Buffers;
using System.Buffers.Binary;

namespace EquipmentIoT.Protocols.Modbus.Framing;

/// <summary>One Modbus TCP ADU: the MBAP header's transaction id and unit id, and the PDU bytes.</summary>
public sealed record ModbusTcpFrame(ushort TransactionId, byte UnitId, byte[] Pdu);

/// <summary>
/// MBAP framing (Messaging on TCP/IP Implementation Guide V1.0b §3.1.3):
/// <c>00-01 transaction id | 02-03 protocol id = 0 | 04-05 length (unit id + PDU) | 06 unit id | 07.. PDU</c>.
/// </summary>
public static class ModbusTcpFraming
{
    /// <summary>Writes the MBAP header and <paramref name="pdu"/>.</summary>
    public static void Encode(ushort transactionId, byte unitId, ReadOnlySpan<byte> pdu, IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (pdu.IsEmpty || pdu.Length > ModbusLimits.MaxPduLength) throw new ArgumentOutOfRangeException(nameof(pdu), pdu.Length, "a PDU is 1 to 253 bytes");
        var span = writer.GetSpan(ModbusLimits.MbapHeaderLength + pdu.Length);
        BinaryPrimitives.WriteUInt16BigEndian(span, transactionId);
        BinaryPrimitives.WriteUInt16BigEndian(span[2..], 0);
        BinaryPrimitives.WriteUInt16BigEndian(span[4..], (ushort)(pdu.Length + 1));
        span[6] = unitId;
        pdu.CopyTo(span[7..]);
        writer.Advance(ModbusLimits.MbapHeaderLength + pdu.Length);
    }

    /// <summary>
    /// Takes one ADU off the front of <paramref name="buffer"/>; false (buffer untouched) when it is not complete.
    /// A protocol id other than 0 or a length outside 2..254 throws: the stream cannot be resynchronised.
    /// </summary>
    public static bool TryDecode(ref ReadOnlySequence<byte> buffer, out ModbusTcpFrame? frame)
    {
        frame = null;
        if (buffer.Length < ModbusLimits.MbapHeaderLength) return false;
        Span<byte> header = stackalloc byte[ModbusLimits.MbapHeaderLength];
        buffer.Slice(0, ModbusLimits.MbapHeaderLength).CopyTo(header);
        var protocol = BinaryPrimitives.ReadUInt16BigEndian(header[2..]);
        if (protocol != 0) throw ModbusProtocolException.Field("MBAP header", "protocol identifier", 2, $"{protocol}, expected 0");
        var length = BinaryPrimitives.ReadUInt16BigEndian(header[4..]);
        // The length counts the unit id and the PDU: 1 + (1..253) (§3.1.3, ADU at most 260 bytes).
        if (length < 2 || length > ModbusLimits.MaxPduLength + 1)
            throw ModbusProtocolException.Field("MBAP header", "length", 4, $"{length} is outside 2..{ModbusLimits.MaxPduLength + 1}");
        if (buffer.Length < 6 + length) return false;
        var pdu = new byte[length - 1];
        buffer.Slice(ModbusLimits.MbapHeaderLength, pdu.Length).CopyTo(pdu);
        frame = new ModbusTcpFrame(BinaryPrimitives.ReadUInt16BigEndian(header), header[6], pdu);
        buffer = buffer.Slice(6 + length);
        return true;
    }
}
