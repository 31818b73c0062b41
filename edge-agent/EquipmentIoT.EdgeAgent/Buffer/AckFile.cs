using System.Buffers.Binary;

namespace EquipmentIoT.EdgeAgent.Buffer;

/// <summary>
/// The per-stream ack file (FORMAT.md §ack): the acknowledged watermark, written whole to a temporary
/// file and renamed over the old one, so a reader sees the old or the new value, never a mix. Not
/// fsynced: losing it only means records are sent again, which the cloud deduplicates.
/// <code>
/// 00-03 Magic      45 51 41 4B ("EQAK")
/// 04-11 Watermark  int64, ≥ 0
/// 12-15 Crc        CRC-32C over bytes 00-11
/// </code>
/// </summary>
internal static class AckFile
{
    public const string FileName = "ack";
    public const string TempFileName = "ack.tmp";
    public const int Size = 16;

    private static ReadOnlySpan<byte> Magic => "EQAK"u8;

    public static byte[] Encode(long watermark)
    {
        var bytes = new byte[Size];
        Magic.CopyTo(bytes);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(4), watermark);
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(12), Crc32C.Compute(bytes.AsSpan(0, 12)));
        return bytes;
    }

    /// <summary>Decodes an ack file's bytes; null and a reason when they are not one.</summary>
    public static long? Decode(ReadOnlySpan<byte> bytes, out string? problem)
    {
        problem = null;
        if (bytes.Length != Size) problem = $"is {bytes.Length} bytes long, not {Size}";
        else if (!bytes[..4].SequenceEqual(Magic)) problem = "has no EQAK magic";
        else if (BinaryPrimitives.ReadUInt32BigEndian(bytes[12..]) != Crc32C.Compute(bytes[..12])) problem = "fails its checksum";
        else if (BinaryPrimitives.ReadInt64BigEndian(bytes[4..]) is var w and >= 0) return w;
        else problem = "holds a negative watermark";
        return null;
    }

    public static void Write(string directory, long watermark)
    {
        var temp = Path.Combine(directory, TempFileName);
        File.WriteAllBytes(temp, Encode(watermark));
        File.Move(temp, Path.Combine(directory, FileName), overwrite: true);
    }
}
