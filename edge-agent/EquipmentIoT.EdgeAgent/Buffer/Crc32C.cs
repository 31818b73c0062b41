using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace EquipmentIoT.EdgeAgent.Buffer;

/// <summary>
/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78; RFC 3720 §12.1 and appendix B.4), the
/// checksum of every buffer record. System.IO.Hashing is a NuGet package outside the shared
/// frameworks, so it is ours: the CPU's CRC32 instruction (SSE 4.2 / ARMv8 CRC) through
/// <see cref="BitOperations.Crc32C(uint, ulong)"/> when present, else a slicing-by-8 table.
/// </summary>
internal static class Crc32C
{
    private const uint ReflectedPolynomial = 0x82F63B78;

    // Eight 256-entry tables: _table[k * 256 + b] is the CRC state after byte b followed by k zero bytes.
    private static readonly uint[] Table = BuildTable();

    internal static bool HardwareAccelerated => Sse42.X64.IsSupported || Crc32.Arm64.IsSupported;

    /// <summary>The CRC-32C of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Append(0, data);

    /// <summary>Continues <paramref name="crc"/> (a finished CRC-32C of earlier bytes) over <paramref name="data"/>.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data) =>
        ~(HardwareAccelerated ? UpdateHardware(~crc, data) : UpdateSoftware(~crc, data));

    // The raw register update (no pre/post inversion); both paths must agree, which the tests check.
    internal static uint UpdateHardware(uint state, ReadOnlySpan<byte> data)
    {
        while (data.Length >= 8)
        {
            state = BitOperations.Crc32C(state, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }

        foreach (var b in data) state = BitOperations.Crc32C(state, b);
        return state;
    }

    internal static uint UpdateSoftware(uint state, ReadOnlySpan<byte> data)
    {
        var t = Table;
        while (data.Length >= 8)
        {
            var low = state ^ BinaryPrimitives.ReadUInt32LittleEndian(data);
            var high = BinaryPrimitives.ReadUInt32LittleEndian(data[4..]);
            state = t[(7 * 256) + (low & 0xFF)] ^ t[(6 * 256) + ((low >> 8) & 0xFF)]
                  ^ t[(5 * 256) + ((low >> 16) & 0xFF)] ^ t[(4 * 256) + (low >> 24)]
                  ^ t[(3 * 256) + (high & 0xFF)] ^ t[(2 * 256) + ((high >> 8) & 0xFF)]
                  ^ t[256 + ((high >> 16) & 0xFF)] ^ t[high >> 24];
            data = data[8..];
        }

        foreach (var b in data) state = t[(state ^ b) & 0xFF] ^ (state >> 8);
        return state;
    }

    private static uint[] BuildTable()
    {
        var t = new uint[8 * 256];
        for (uint b = 0; b < 256; b++)
        {
            var c = b;
            for (var bit = 0; bit < 8; bit++) c = (c & 1) != 0 ? (c >> 1) ^ ReflectedPolynomial : c >> 1;
            t[b] = c;
        }

        for (var k = 1; k < 8; k++)
        {
            for (var b = 0; b < 256; b++)
            {
                var previous = t[((k - 1) * 256) + b];
                t[(k * 256) + b] = (previous >> 8) ^ t[previous & 0xFF];
            }
        }

        return t;
    }
}
