using System.Buffers.Binary;

namespace EquipmentIoT.EdgeAgent.Buffer;

/// <summary>The fields of a record header as read from disk.</summary>
internal readonly record struct RecordHeader(int Length, long Seq, long AppendedAtMs, uint Crc);

/// <summary>Why bytes at an offset are not a record header.</summary>
internal enum HeaderProblem
{
    None,
    Truncated,
    BadMagic,
    BadLength,
    BadSeq,
}

/// <summary>
/// Encode/decode of one buffer record (FORMAT.md §record). Pure: spans in, spans out. All integers
/// big-endian, like every other format of ours.
/// <code>
/// 00-03 Magic         E9 51 B1 01  (two bytes ≥ 0x80, so never inside an ASCII JWS; 01 = format version)
/// 04-07 Length        payload bytes, 1 … 1 MiB (uint32)
/// 08-15 Seq           the stream's sequence number, ≥ 1 (int64)
/// 16-23 AppendedAt    unix milliseconds when the buffer stored it (int64)
/// 24-27 Crc           CRC-32C over bytes 04-23 and the payload
/// 28-…  Payload       the record (a JWS compact serialisation, opaque to the buffer)
/// </code>
/// </summary>
internal static class RecordFormat
{
    public const int HeaderSize = 28;

    /// <summary>Largest payload; a length field above it is corruption (checked before anything is read).</summary>
    public const int MaxPayloadBytes = 1 << 20;

    private const int CoveredStart = 4;
    private const int CoveredLength = 20;
    private const int CrcOffset = 24;

    public static ReadOnlySpan<byte> Magic => [0xE9, 0x51, 0xB1, 0x01];

    public static long RecordSize(int payloadLength) => HeaderSize + (long)payloadLength;

    /// <summary>Writes the header of a record with <paramref name="payload"/> into <paramref name="header"/> (28 bytes).</summary>
    public static void WriteHeader(Span<byte> header, long seq, long appendedAtMs, ReadOnlySpan<byte> payload)
    {
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt32BigEndian(header[4..], checked((uint)payload.Length));
        BinaryPrimitives.WriteInt64BigEndian(header[8..], seq);
        BinaryPrimitives.WriteInt64BigEndian(header[16..], appendedAtMs);
        BinaryPrimitives.WriteUInt32BigEndian(header[CrcOffset..], ComputeCrc(header, payload));
    }

    /// <summary>Decodes and sanity-checks a header; the CRC is checked separately once the payload is at hand.</summary>
    public static HeaderProblem TryReadHeader(ReadOnlySpan<byte> bytes, out RecordHeader header)
    {
        header = default;
        if (bytes.Length < HeaderSize) return HeaderProblem.Truncated;
        if (!bytes[..4].SequenceEqual(Magic)) return HeaderProblem.BadMagic;
        var length = BinaryPrimitives.ReadUInt32BigEndian(bytes[4..]);
        if (length is 0 or > MaxPayloadBytes) return HeaderProblem.BadLength;
        var seq = BinaryPrimitives.ReadInt64BigEndian(bytes[8..]);
        if (seq < 1) return HeaderProblem.BadSeq;
        header = new RecordHeader((int)length, seq, BinaryPrimitives.ReadInt64BigEndian(bytes[16..]),
            BinaryPrimitives.ReadUInt32BigEndian(bytes[CrcOffset..]));
        return HeaderProblem.None;
    }

    /// <summary>True when the CRC stored in <paramref name="header"/> matches its fields and <paramref name="payload"/>.</summary>
    public static bool CrcMatches(ReadOnlySpan<byte> header, ReadOnlySpan<byte> payload) =>
        BinaryPrimitives.ReadUInt32BigEndian(header[CrcOffset..]) == ComputeCrc(header, payload);

    private static uint ComputeCrc(ReadOnlySpan<byte> header, ReadOnlySpan<byte> payload) =>
        Crc32C.Append(Crc32C.Compute(header.Slice(CoveredStart, CoveredLength)), payload);
}
