using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace EquipmentIoT.EdgeAgent.Buffer;

/// <summary>
/// Reads a segment file front to back through a window of about 2 MiB (never the whole file) to find
/// intact records at recovery, and searches forward for the next one after a damaged region.
/// </summary>
internal sealed class SegmentScanner : IDisposable
{
    // Room for the largest record at any offset of the window, so a record never needs two refills.
    private const int WindowSize = 2 * (RecordFormat.MaxPayloadBytes + RecordFormat.HeaderSize);
    private const int SearchChunk = 64 * 1024;

    private byte[] _window = ArrayPool<byte>.Shared.Rent(WindowSize);
    private SafeFileHandle? _file;
    private long _length;
    private long _windowStart;
    private int _windowCount;

    public void Reset(SafeFileHandle file, long length)
    {
        _file = file;
        _length = length;
        _windowStart = 0;
        _windowCount = 0;
    }

    /// <summary>True when an intact record (magic, sane length, whole payload, matching CRC) starts at <paramref name="position"/>.</summary>
    public bool TryRecordAt(long position, out RecordHeader header)
    {
        if (RecordFormat.TryReadHeader(Bytes(position, RecordFormat.HeaderSize), out header) != HeaderProblem.None) return false;
        var total = RecordFormat.HeaderSize + header.Length;
        var whole = Bytes(position, total);
        return whole.Length == total && RecordFormat.CrcMatches(whole[..RecordFormat.HeaderSize], whole[RecordFormat.HeaderSize..]);
    }

    /// <summary>The offset of the first intact record at or after <paramref name="from"/>, or -1.</summary>
    public long FindNextRecord(long from)
    {
        var magic = RecordFormat.Magic;
        var position = from;
        while (position < _length)
        {
            var chunk = Bytes(position, SearchChunk);
            var at = chunk.IndexOf(magic);
            if (at < 0)
            {
                if (position + chunk.Length >= _length) return -1;
                // Keep the last bytes: a magic may straddle two chunks.
                position += chunk.Length - (magic.Length - 1);
                continue;
            }

            var candidate = position + at;
            if (TryRecordAt(candidate, out _)) return candidate;
            position = candidate + 1;
        }

        return -1;
    }

    // Up to count bytes from position (fewer only at the end of the file); valid until the next call.
    private ReadOnlySpan<byte> Bytes(long position, int count)
    {
        var available = (int)Math.Min(count, _length - position);
        if (available <= 0) return [];
        if (position < _windowStart || position + available > _windowStart + _windowCount) Fill(position);
        var start = (int)(position - _windowStart);
        return _window.AsSpan(start, Math.Min(available, _windowCount - start));
    }

    private void Fill(long position)
    {
        _windowStart = position;
        _windowCount = 0;
        var want = (int)Math.Min(_window.Length, _length - position);
        while (_windowCount < want)
        {
            var read = RandomAccess.Read(_file!, _window.AsSpan(_windowCount, want - _windowCount), position + _windowCount);
            if (read == 0) break;
            _windowCount += read;
        }
    }

    public void Dispose()
    {
        if (_window.Length == 0) return;
        ArrayPool<byte>.Shared.Return(_window);
        _window = [];
    }
}
