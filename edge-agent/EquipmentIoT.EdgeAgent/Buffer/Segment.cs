using System.Globalization;
using Microsoft.Win32.SafeHandles;

namespace EquipmentIoT.EdgeAgent.Buffer;

/// <summary>
/// One segment file of a stream and its in-memory index. The file is opened lazily and kept open; reads
/// take a reference on the handle (<see cref="AcquireHandle"/>) so that deleting the segment while a
/// read is under way only closes the file once the read is done. Mutated only under the buffer's lock
/// (the writer thread also reads <see cref="Length"/> of the newest segment without it: it alone changes it).
/// </summary>
internal sealed class Segment : IDisposable
{
    public const string Extension = ".seg";

    private readonly FileMode _mode;
    private FileAccess _access;
    private readonly object _openGate = new();
    private FileStream? _file;

    private Segment(string path, long nameSeq, FileMode mode, FileAccess access)
    {
        Path = path;
        NameSeq = nameSeq;
        _mode = mode;
        _access = access;
    }

    public string Path { get; }

    public string FileName => System.IO.Path.GetFileName(Path);

    /// <summary>The seq in the file name (the first seq written to it).</summary>
    public long NameSeq { get; }

    /// <summary>Bytes of the file this buffer accounts for: up to the end of the last committed record (garbage inside included).</summary>
    public long Length { get; set; }

    public SegmentIndex Index { get; } = new();

    /// <summary>Set when a damaged tail could not be truncated: the next append starts a new segment instead.</summary>
    public bool RollBeforeNextAppend { get; set; }

    /// <summary>Sum of the payload lengths of the indexed records.</summary>
    public long PayloadBytes { get; private set; }

    public long FirstAppendedAtMs { get; private set; }

    public long LastAppendedAtMs { get; private set; }

    /// <summary>The open file (opened on first use, by the writer thread or a reader). Used for RandomAccess through its handle, and for fsync.</summary>
    public FileStream File
    {
        get
        {
            if (Volatile.Read(ref _file) is { } open) return open;
            lock (_openGate)
            {
                return _file ??= new FileStream(Path, new FileStreamOptions
                {
                    Mode = _mode,
                    Access = _access,
                    Share = FileShare.ReadWrite | FileShare.Delete,
                    BufferSize = 0,
                });
            }
        }
    }

    public static string NameFor(long firstSeq) => firstSeq.ToString("D20", CultureInfo.InvariantCulture) + Extension;

    public static bool TryParseName(string fileName, out long seq)
    {
        seq = 0;
        return fileName.Length == 20 + Extension.Length
            && fileName.EndsWith(Extension, StringComparison.Ordinal)
            && long.TryParse(fileName.AsSpan(0, 20), NumberStyles.None, CultureInfo.InvariantCulture, out seq)
            && seq >= 1;
    }

    /// <summary>A new, empty segment file for appends (replaces a leftover file of the same name, which can hold no indexed record).</summary>
    public static Segment CreateNew(string directory, long firstSeq)
    {
        var segment = new Segment(System.IO.Path.Combine(directory, NameFor(firstSeq)), firstSeq, FileMode.Create, FileAccess.ReadWrite);
        _ = segment.File;
        return segment;
    }

    /// <summary>A recovered segment; <paramref name="writable"/> for the newest one of its stream.</summary>
    public static Segment Existing(string path, long nameSeq, bool writable) =>
        new(path, nameSeq, FileMode.Open, writable ? FileAccess.ReadWrite : FileAccess.Read);

    /// <summary>Makes a recovered segment writable (the newest of its stream); called before any read opened it.</summary>
    public void AllowAppends()
    {
        lock (_openGate)
        {
            if (_file is { CanWrite: false })
            {
                _file.Dispose();
                _file = null;
            }

            _access = FileAccess.ReadWrite;
        }
    }

    public void AddRecord(long seq, long offset, int length, long appendedAtMs)
    {
        if (Index.Count == 0) FirstAppendedAtMs = appendedAtMs;
        var delta = Math.Clamp((appendedAtMs - FirstAppendedAtMs) / 1000, int.MinValue, int.MaxValue);
        Index.Add(new IndexEntry(seq, offset, length, (int)delta));
        LastAppendedAtMs = appendedAtMs;
        PayloadBytes += length;
    }

    public long AppendedAtMs(in IndexEntry entry) => FirstAppendedAtMs + (entry.AppendedDeltaSeconds * 1000L);

    /// <summary>The file handle with a reference taken; the caller must call <see cref="SafeHandle.DangerousRelease"/>.</summary>
    public SafeFileHandle AcquireHandle()
    {
        var handle = File.SafeFileHandle;
        var added = false;
        handle.DangerousAddRef(ref added);
        return handle;
    }

    public void Dispose()
    {
        lock (_openGate) _file?.Dispose();
    }
}
