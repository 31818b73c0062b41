using System.Buffers;

namespace EquipmentIoT.Testing.Fuzzing;

/// <summary>
/// Builds multi-segment <see cref="ReadOnlySequence{T}"/>s over one byte array, the way a
/// <c>PipeReader</c> hands a codec bytes that arrived in several reads. The segment objects are kept
/// and reused by the next <c>Build</c>, so a fuzz loop allocates nothing per input; a sequence is
/// valid only until the next call.
/// </summary>
public sealed class SegmentChain
{
    private readonly List<Segment> _segments = [];

    /// <summary>Chops <paramref name="data"/> into segments of 1..<paramref name="maxSegmentLength"/> bytes.</summary>
    public ReadOnlySequence<byte> Build(ReadOnlyMemory<byte> data, Random random, int maxSegmentLength)
    {
        ArgumentNullException.ThrowIfNull(random);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSegmentLength, 1);
        if (data.IsEmpty) return ReadOnlySequence<byte>.Empty;
        var count = 0;
        var start = 0;
        while (start < data.Length)
        {
            var length = Math.Min(random.Next(1, maxSegmentLength + 1), data.Length - start);
            Append(count++, data.Slice(start, length), start);
            start += length;
        }
        return Sequence(count);
    }

    /// <summary>Cuts <paramref name="data"/> at exactly the given segment lengths (the last takes the rest).</summary>
    public ReadOnlySequence<byte> Build(ReadOnlyMemory<byte> data, ReadOnlySpan<int> lengths)
    {
        if (data.IsEmpty) return ReadOnlySequence<byte>.Empty;
        var count = 0;
        var start = 0;
        foreach (var requested in lengths)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(requested, 1, nameof(lengths));
            if (start == data.Length) break;
            var length = Math.Min(requested, data.Length - start);
            Append(count++, data.Slice(start, length), start);
            start += length;
        }
        if (start < data.Length) Append(count++, data[start..], start);
        return Sequence(count);
    }

    private void Append(int index, ReadOnlyMemory<byte> memory, long runningIndex)
    {
        if (index == _segments.Count) _segments.Add(new Segment());
        var segment = _segments[index];
        segment.Reset(memory, runningIndex);
        if (index > 0) _segments[index - 1].Link(segment);
    }

    private ReadOnlySequence<byte> Sequence(int count)
    {
        var last = _segments[count - 1];
        return new ReadOnlySequence<byte>(_segments[0], 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public void Reset(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
            Next = null;
        }

        public void Link(Segment next) => Next = next;
    }
}
