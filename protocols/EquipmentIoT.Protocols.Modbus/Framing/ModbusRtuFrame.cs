using System.Buffers;
using EquipmentIoT.Protocols.Modbus.Pdu;

namespace EquipmentIoT.Protocols.Modbus.Framing;

/// <summary>One RTU ADU: the slave address (0 broadcast, 1–247) and the PDU bytes (the CRC checked and removed).</summary>
public sealed record ModbusRtuFrame(byte Address, byte[] Pdu);

/// <summary>Which way an RTU frame goes: its PDU length rules differ (§6).</summary>
public enum ModbusFrameDirection
{
    /// <summary>Master to slave.</summary>
    Request,
    /// <summary>Slave to master.</summary>
    Response,
}

/// <summary>
/// RTU framing (Serial Line V1.02 §2.5.1): <c>00 address | 01.. PDU | last 2 CRC (low byte first)</c>, at most
/// 256 bytes. The frame's end is found from the PDU's own length fields; a frame whose function code gives
/// no length, or whose CRC is wrong, throws, and the caller skips ahead (resynchronises).
/// </summary>
public static class ModbusRtuFraming
{
    /// <summary>Writes address, PDU and CRC.</summary>
    public static void Encode(byte address, ReadOnlySpan<byte> pdu, IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (pdu.IsEmpty || pdu.Length > ModbusLimits.MaxPduLength) throw new ArgumentOutOfRangeException(nameof(pdu), pdu.Length, "a PDU is 1 to 253 bytes");
        var total = pdu.Length + 3;
        var span = writer.GetSpan(total);
        span[0] = address;
        pdu.CopyTo(span[1..]);
        var crc = ModbusCrc.Compute(span[..(total - 2)]);
        span[total - 2] = (byte)(crc & 0xFF);
        span[total - 1] = (byte)(crc >> 8);
        writer.Advance(total);
    }

    /// <summary>
    /// The full ADU length of the frame starting with <paramref name="head"/>, or how many bytes are needed to
    /// tell; -1 when the function code gives no length.
    /// </summary>
    public static int FrameLength(ReadOnlySpan<byte> head, ModbusFrameDirection direction)
    {
        if (head.Length < 2) return 2;
        var pdu = head[1..];
        var pduLength = direction == ModbusFrameDirection.Request ? ModbusPdu.RequestLength(pdu) : ModbusPdu.ResponseLength(pdu);
        return pduLength < 0 ? -1 : 1 + pduLength + 2;
    }

    /// <summary>
    /// Takes one frame off the front of <paramref name="buffer"/>; false (untouched) when incomplete. Throws
    /// <see cref="ModbusProtocolException"/> for an unknown function code, an over-long frame or a CRC mismatch
    /// (the buffer untouched: the caller decides how far to skip).
    /// </summary>
    public static bool TryDecode(ref ReadOnlySequence<byte> buffer, ModbusFrameDirection direction, out ModbusRtuFrame? frame)
    {
        frame = null;
        Span<byte> head = stackalloc byte[8];
        var have = (int)Math.Min(buffer.Length, head.Length);
        buffer.Slice(0, have).CopyTo(head);
        var length = FrameLength(head[..have], direction);
        if (length < 0) throw ModbusProtocolException.Field("RTU frame", "function code", 1, $"0x{head[1]:X2} has no known length");
        if (length > ModbusLimits.MaxRtuAduLength) throw ModbusProtocolException.Field("RTU frame", "length", 2, $"{length} bytes, more than {ModbusLimits.MaxRtuAduLength}");
        if (buffer.Length < length)
        {
            return false;
        }

        Span<byte> adu = stackalloc byte[ModbusLimits.MaxRtuAduLength];
        adu = adu[..length];
        buffer.Slice(0, length).CopyTo(adu);
        var expected = ModbusCrc.Compute(adu[..(length - 2)]);
        var received = (ushort)(adu[length - 2] | (adu[length - 1] << 8));
        if (expected != received) throw ModbusProtocolException.Field("RTU frame", "CRC", length - 2, $"0x{received:X4}, computed 0x{expected:X4}");
        frame = new ModbusRtuFrame(adu[0], adu[1..(length - 2)].ToArray());
        buffer = buffer.Slice(length);
        return true;
    }
}
