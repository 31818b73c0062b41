using System.Globalization;
using EquipmentIoT.Protocols.Telemetry.Commands;

namespace EquipmentIoT.EdgeAgent.Buffer;

/// <summary>
/// Rebuilds one stream from its directory at open (FORMAT.md §recovery): every segment is scanned;
/// damaged bytes are skipped by resynchronising on the next intact record; the newest file's torn tail
/// is truncated; files with no intact record are deleted; the ack file is read or, when unreadable,
/// reset. Never throws for what it finds on disk; everything is put in the report.
/// </summary>
internal sealed class BufferRecovery
{
    private const int MaxProblemLines = 100;

    private readonly StreamState _stream;
    private readonly List<string> _problems = [];
    private readonly SortedSet<string> _files = new(StringComparer.Ordinal);
    private readonly List<SeqRange> _lost = [];
    private int _problemsLeftOut;
    private long _bytesCut;
    private long _skipped;
    private long _kept;
    private long _lastKept;

    private BufferRecovery(StreamState stream) => _stream = stream;

    /// <summary>Fills <paramref name="stream"/> (segments, last seq, watermark, cursor) from disk and says what was repaired.</summary>
    public static StreamRecoveryReport Recover(StreamState stream) => new BufferRecovery(stream).Run();

    private StreamRecoveryReport Run()
    {
        var directory = _stream.Directory;
        if (File.Exists(directory))
        {
            var aside = directory + ".not-a-directory-" + DateTime.UtcNow.Ticks.ToString(CultureInfo.InvariantCulture);
            File.Move(directory, aside);
            Problem($"{directory} was a file, moved aside to {Path.GetFileName(aside)}");
        }

        Directory.CreateDirectory(directory);
        long? ack = null;
        var ackUnreadable = false;
        var segments = new List<(long Seq, string Path)>();
        foreach (var path in Directory.EnumerateFiles(directory))
        {
            var name = Path.GetFileName(path);
            if (name == AckFile.FileName) ack = ReadAck(path, out ackUnreadable);
            else if (name == AckFile.TempFileName) TryDelete(path); // an interrupted ack write; the ack file itself is whole
            else if (Segment.TryParseName(name, out var seq)) segments.Add((seq, path));
            else Problem($"{name}: not a buffer file, left alone");
        }

        segments.Sort((a, b) => a.Seq.CompareTo(b.Seq));
        var validEnd = 0L;
        using (var scanner = new SegmentScanner())
        {
            foreach (var (seq, path) in segments)
            {
                if (Scan(scanner, seq, path, out var end) is { } segment)
                {
                    _stream.Segments.Add(segment);
                    validEnd = end;
                }
            }
        }

        if (_stream.Newest is { } newest && newest.Length > validEnd) TruncateTornTail(newest, validEnd);
        ApplyAck(ack, ackUnreadable);
        if (_problemsLeftOut > 0) _problems.Add($"… and {_problemsLeftOut} more");
        return new StreamRecoveryReport(_stream.Name, _kept, _bytesCut, _lost, _skipped, [.. _files], _problems);
    }

    // Scans one file; returns its segment, or null when it holds no intact record (then it is deleted).
    private Segment? Scan(SegmentScanner scanner, long nameSeq, string path, out long validEnd)
    {
        var name = Path.GetFileName(path);
        var segment = Segment.Existing(path, nameSeq, writable: false);
        validEnd = 0;
        long length = 0;
        try
        {
            using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            length = RandomAccess.GetLength(file);
            scanner.Reset(file, length);
            var position = 0L;
            while (position < length)
            {
                if (scanner.TryRecordAt(position, out var header))
                {
                    Keep(segment, name, position, header);
                    position += RecordFormat.HeaderSize + header.Length;
                    validEnd = position;
                    continue;
                }

                var next = scanner.FindNextRecord(position + 1);
                var stop = next < 0 ? length : next;
                _bytesCut += stop - position;
                _files.Add(name);
                Problem(next < 0
                    ? $"{name}: {stop - position} bytes from offset {position} to the end hold no intact record"
                    : $"{name}: {stop - position} damaged bytes at offset {position}, resynchronised at offset {next}");
                if (next < 0) break;
                position = next;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Keep what was read. A file of which nothing could be read is not ours to delete (the disk
            // may come back): it is renamed out of the way so no new segment ever takes its name.
            Problem($"{name}: cannot be read past offset {validEnd} ({e.Message})");
            _files.Add(name);
            length = validEnd;
            if (segment.Index.Count == 0)
            {
                segment.Dispose();
                MoveAside(path);
                return null;
            }
        }

        if (segment.Index.Count == 0)
        {
            segment.Dispose();
            if (length > 0) Problem($"{name}: no intact record in {length} bytes, file deleted");
            else Problem($"{name}: empty file deleted");
            _files.Add(name);
            TryDelete(path);
            return null;
        }

        segment.Length = length;
        return segment;
    }

    private void Keep(Segment segment, string name, long position, RecordHeader header)
    {
        if (header.Seq <= _lastKept)
        {
            _skipped++;
            _files.Add(name);
            Problem($"{name}: record at offset {position} has seq {header.Seq}, not after {_lastKept}; skipped");
            return;
        }

        if (_lastKept > 0 && header.Seq > _lastKept + 1)
        {
            StreamState.AddGap(_lost, _lastKept + 1, header.Seq - 1);
            Problem($"seq {_lastKept + 1}..{header.Seq - 1} lost");
        }

        segment.AddRecord(header.Seq, position, header.Length, header.AppendedAtMs);
        _lastKept = header.Seq;
        _kept++;
    }

    private void TruncateTornTail(Segment newest, long validEnd)
    {
        try
        {
            using var file = File.OpenHandle(newest.Path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
            RandomAccess.SetLength(file, validEnd);
            Problem($"{newest.FileName}: torn tail of {newest.Length - validEnd} bytes truncated at offset {validEnd}");
            newest.Length = validEnd;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Appends go to a new segment then, so nothing is written after the damaged bytes.
            Problem($"{newest.FileName}: torn tail could not be truncated ({e.Message})");
            newest.Length = validEnd;
            newest.RollBeforeNextAppend = true;
        }

        _files.Add(newest.FileName);
    }

    private long? ReadAck(string path, out bool unreadable)
    {
        unreadable = true;
        try
        {
            var bytes = new FileInfo(path).Length <= 4096 ? File.ReadAllBytes(path) : [];
            if (AckFile.Decode(bytes, out var problem) is { } watermark)
            {
                unreadable = false;
                return watermark;
            }

            Problem($"{AckFile.FileName}: {problem}; everything on disk is sent again");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Problem($"{AckFile.FileName}: cannot be read ({e.Message}); everything on disk is sent again");
        }

        _files.Add(AckFile.FileName);
        return null;
    }

    private void ApplyAck(long? ack, bool ackUnreadable)
    {
        var s = _stream;
        var first = s.Segments.Count > 0 ? s.Segments[0].Index.FirstSeq : 0;
        var floor = first > 0 ? first - 1 : 0;
        if (ack is { } w)
        {
            // Segments are deleted only after the ack file covers them, so seqs between the watermark
            // and the first record on disk were lost, not evicted.
            if (first > 0 && w < floor)
            {
                _lost.Insert(0, new SeqRange(w + 1, floor));
                Problem($"seq {w + 1}..{floor} (unacknowledged) are no longer on disk");
            }

            if (w > _lastKept)
            {
                if (_lastKept > 0) StreamState.AddGap(_lost, _lastKept + 1, w);
                Problem($"{AckFile.FileName} says seq {w} was acknowledged but the newest record on disk is {_lastKept}; numbering continues after {w}");
            }

            s.Watermark = Math.Max(w, floor);
            s.LastSeq = Math.Max(_lastKept, w);
            s.AckDirty = s.Watermark != w;
        }
        else
        {
            s.Watermark = floor;
            s.LastSeq = _lastKept;
            s.AckDirty = ackUnreadable;
        }

        s.AcceptedSeq = s.LastSeq;
        s.CursorNext = s.Watermark + 1;
    }

    private void Problem(string line)
    {
        if (_problems.Count < MaxProblemLines) _problems.Add(line);
        else _problemsLeftOut++;
    }

    private void MoveAside(string path)
    {
        try
        {
            File.Move(path, path + ".unreadable", overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Problem($"{Path.GetFileName(path)}: cannot be renamed aside ({e.Message})");
        }
    }

    private void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Problem($"{Path.GetFileName(path)}: cannot be deleted ({e.Message})");
        }
    }
}
