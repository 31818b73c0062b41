using System.Buffers.Binary;

namespace EquipmentIoT.Testing.Fuzzing;

/// <summary>
/// Damages encoded MQTT packets in place, in the ways a broken peer or a bad line does: bit flips,
/// replaced, inserted and deleted bytes, truncation, and edits aimed at the fields the decoder
/// trusts most — the first byte, the Remaining Length (2.2.3) and two-byte length prefixes (1.5.3).
/// </summary>
internal sealed class MqttMutator
{
    // Values that sit on the boundaries the decoder tests: continuation bit, UTF-8 lead bytes,
    // the surrogate lead ED, QoS values, SUBACK failure.
    private static readonly byte[] Interesting = [0x00, 0x01, 0x02, 0x03, 0x7F, 0x80, 0x81, 0xC0, 0xC3, 0xED, 0xF4, 0xF8, 0xFE, 0xFF, 0x23, 0x2B, 0x2F];

    /// <summary>First bytes of every packet type with legal flags, plus a few with illegal ones.</summary>
    internal static readonly byte[] FirstBytes =
    [
        0x10, 0x20, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x3A, 0x3B, 0x3C, 0x3D, 0x40, 0x50, 0x62, 0x70,
        0x82, 0x90, 0xA2, 0xB0, 0xC0, 0xD0, 0xE0, 0x36, 0x38, 0x60, 0x80, 0xA0, 0x41, 0x00, 0xF0,
    ];

    private readonly Random _random;

    public MqttMutator(Random random) => _random = random;

    /// <summary>Applies one mutation to <c>buffer[..length]</c>; returns the new length (at most <c>buffer.Length</c>).</summary>
    public int Mutate(byte[] buffer, int length)
    {
        if (length == 0) return Insert(buffer, 0, 1 + _random.Next(4));
        var p = _random.Next(length);
        switch (_random.Next(10))
        {
            case 0:
                buffer[p] ^= (byte)(1 << _random.Next(8));
                return length;
            case 1:
                buffer[p] = _random.Next(2) == 0 ? (byte)_random.Next(256) : Interesting[_random.Next(Interesting.Length)];
                return length;
            case 2:
                return Insert(buffer, length, 1 + _random.Next(4), p);
            case 3:
                return Delete(buffer, length, p, Math.Min(1 + _random.Next(4), length - p));
            case 4:
                return _random.Next(length);
            case 5 or 6:
                return AlterRemainingLength(buffer, length);
            case 7 or 8:
                return AlterLengthPrefix(buffer, length);
            default:
                buffer[0] = _random.Next(2) == 0
                    ? FirstBytes[_random.Next(FirstBytes.Length)]
                    : (byte)((buffer[0] & 0xF0) | _random.Next(16));
                return length;
        }
    }

    private int Insert(byte[] buffer, int length, int count, int at = 0)
    {
        count = Math.Min(count, buffer.Length - length);
        if (count <= 0) return length;
        Array.Copy(buffer, at, buffer, at + count, length - at);
        for (var i = 0; i < count; i++) buffer[at + i] = (byte)_random.Next(256);
        return length + count;
    }

    private static int Delete(byte[] buffer, int length, int at, int count)
    {
        Array.Copy(buffer, at + count, buffer, at, length - at - count);
        return length - count;
    }

    // Rewrites the Remaining Length of the first packet: off by a little, far too large, zero, five
    // continuation bytes, or a non-minimal encoding of the right value.
    private int AlterRemainingLength(byte[] buffer, int length)
    {
        if (length < 2) return length;
        var oldSize = 1;
        while (oldSize < 4 && 1 + oldSize < length && (buffer[oldSize] & 0x80) != 0) oldSize++;
        var body = length - 1 - oldSize;
        Span<byte> field = stackalloc byte[5];
        int size;
        switch (_random.Next(5))
        {
            case 0: size = Encode(field, Math.Max(0, body + _random.Next(-3, 4))); break;
            case 1: size = Encode(field, _random.Next(0, 268_435_456)); break;
            case 2: size = Encode(field, 0); break;
            case 3: field.Fill(0xFF); size = _random.Next(4, 6); if (size == 4) field[3] = 0x7F; break;
            default:
                size = Encode(field, Math.Max(0, body));
                if (size < 4) { field[size - 1] |= 0x80; field[size++] = 0x00; }
                break;
        }
        var delta = size - oldSize;
        if (length + delta > buffer.Length) return length;
        Array.Copy(buffer, 1 + oldSize, buffer, 1 + size, length - 1 - oldSize);
        field[..size].CopyTo(buffer.AsSpan(1));
        return length + delta;
    }

    // Finds two-byte big-endian values that could be string or binary length prefixes and moves one
    // of them just past, just short of, or far from the bytes that follow it.
    private int AlterLengthPrefix(byte[] buffer, int length)
    {
        Span<int> candidates = stackalloc int[16];
        var found = 0;
        for (var p = 2; p + 1 < length && found < candidates.Length; p++)
        {
            var value = BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(p));
            if (value <= length - p - 2) candidates[found++] = p;
        }
        if (found == 0) return AlterRemainingLength(buffer, length);
        var at = candidates[_random.Next(found)];
        var old = BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(at));
        var next = _random.Next(5) switch
        {
            0 => old + 1,
            1 => old - 1,
            2 => 0,
            3 => 0xFFFF,
            _ => _random.Next(0, 65536),
        };
        BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(at), (ushort)Math.Clamp(next, 0, 0xFFFF));
        return length;
    }

    private static int Encode(Span<byte> field, int value)
    {
        var i = 0;
        do
        {
            var b = (byte)(value % 128);
            value /= 128;
            if (value > 0) b |= 0x80;
            field[i++] = b;
        }
        while (value > 0);
        return i;
    }
}
