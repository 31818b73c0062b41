using System.Buffers.Binary;
using EquipmentIoT.Protocols.Telemetry.Model;

namespace EquipmentIoT.Cloud.Storage.Sqlite;

/// <summary>One point inside a chunk: Unix milliseconds, value, quality.</summary>
internal readonly record struct ChunkPoint(long Time, double Value, MetricQuality Quality);

/// <summary>
/// The BLOB of a chunk: the points of one series from one batch, in the batch's order. Pure.
/// <code>
/// 00      version = 1
/// then per point:
/// +0      varint (LEB128) of (zigzag(time − previous time) &lt;&lt; 2) | quality (0 good, 1 uncertain, 2 bad);
///         the first point's previous time is the chunk's start_time column
/// +n      value, IEEE 754 double, little-endian (8 bytes)
/// </code>
/// At 1 Hz a point takes 10 bytes (2-byte delta + value); the count and start/end times are columns.
/// </summary>
internal static class SeriesChunkCodec
{
    public const byte Version = 1;

    /// <summary>The most bytes <see cref="Encode(ReadOnlySpan{ChunkPoint}, long, Span{byte})"/> writes for <paramref name="count"/> points.</summary>
    public static int MaxLength(int count) => 1 + count * 18;

    /// <summary>Encodes <paramref name="points"/> (at least one) against <paramref name="start"/>, the smallest time among them.</summary>
    public static byte[] Encode(ReadOnlySpan<ChunkPoint> points, long start)
    {
        var buffer = new byte[MaxLength(points.Length)];
        return buffer.AsSpan(0, Encode(points, start, buffer)).ToArray();
    }

    /// <summary>Encodes into <paramref name="destination"/> (at least <see cref="MaxLength"/> bytes); returns the length.</summary>
    public static int Encode(ReadOnlySpan<ChunkPoint> points, long start, Span<byte> destination)
    {
        if (points.IsEmpty) throw new ArgumentException("a chunk holds at least one point", nameof(points));
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, MaxLength(points.Length), nameof(destination));
        destination[0] = Version;
        var n = 1;
        var previous = start;
        foreach (var p in points)
        {
            var delta = checked(p.Time - previous);
            var zigzag = (ulong)((delta << 1) ^ (delta >> 63));
            // |delta| < 2^61 ms for any NodaTime instant, so the shift loses nothing.
            n += WriteVarint(destination[n..], (zigzag << 2) | (ulong)p.Quality);
            BinaryPrimitives.WriteDoubleLittleEndian(destination[n..], p.Value);
            n += 8;
            previous = p.Time;
        }
        return n;
    }

    /// <summary>Appends the <paramref name="count"/> points of <paramref name="data"/> to <paramref name="output"/>.</summary>
    /// <exception cref="InvalidDataException">The BLOB is not a chunk of this version holding <paramref name="count"/> points.</exception>
    public static void Decode(ReadOnlySpan<byte> data, long start, long count, List<ChunkPoint> output)
    {
        if (data.IsEmpty || data[0] != Version) throw new InvalidDataException("chunk: unknown version");
        var n = 1;
        var previous = start;
        for (long i = 0; i < count; i++)
        {
            var word = ReadVarint(data, ref n);
            if (data.Length - n < 8) throw new InvalidDataException($"chunk: point {i} is cut short at byte {n}");
            var quality = (MetricQuality)(word & 3);
            if (quality > MetricQuality.Bad) throw new InvalidDataException($"chunk: point {i} has quality code {(int)quality}");
            var zigzag = word >> 2;
            var delta = (long)(zigzag >> 1) ^ -(long)(zigzag & 1);
            previous += delta;
            output.Add(new ChunkPoint(previous, BinaryPrimitives.ReadDoubleLittleEndian(data[n..]), quality));
            n += 8;
        }
        if (n != data.Length) throw new InvalidDataException($"chunk: {data.Length - n} bytes after its {count} points");
    }

    private static int WriteVarint(Span<byte> destination, ulong value)
    {
        var n = 0;
        while (value >= 0x80)
        {
            destination[n++] = (byte)((value & 0x7F) | 0x80);
            value >>= 7;
        }
        destination[n++] = (byte)value;
        return n;
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> data, ref int offset)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (offset >= data.Length) throw new InvalidDataException($"chunk: varint cut short at byte {offset}");
            var b = data[offset++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return value;
        }
        throw new InvalidDataException($"chunk: varint longer than 10 bytes before byte {offset}");
    }
}
