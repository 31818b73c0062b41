using System.Buffers;

namespace EquipmentIoT.Testing.Fuzzing;

/// <summary>One-off multi-segment sequences for unit tests.</summary>
public static class SegmentedSequence
{
    /// <summary>A new sequence over <paramref name="data"/> in random segments of 1..<paramref name="maxSegmentLength"/> bytes.</summary>
    public static ReadOnlySequence<byte> Chop(byte[] data, Random random, int maxSegmentLength) =>
        new SegmentChain().Build(data, random, maxSegmentLength);

    /// <summary>A new sequence over <paramref name="data"/> cut at the given segment lengths.</summary>
    public static ReadOnlySequence<byte> Cut(byte[] data, params int[] lengths) =>
        new SegmentChain().Build(data, lengths);
}
