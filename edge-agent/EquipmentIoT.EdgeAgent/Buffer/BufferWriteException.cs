namespace EquipmentIoT.EdgeAgent.Buffer;

/// <summary>
/// An append failed on disk (full disk, I/O error) or was queued behind one that did. The record is not
/// stored; the files are as they were before it; the stream's next append must use the same seq again.
/// Derives from <see cref="IOException"/>: it is transient, retry after a while.
/// </summary>
public sealed class BufferWriteException : IOException
{
    /// <summary>Creates the exception.</summary>
    public BufferWriteException(string stream, long seq, bool diskFull, string message, Exception? innerException)
        : base(message, innerException)
    {
        Stream = stream;
        Seq = seq;
        DiskFull = diskFull;
    }

    /// <summary>Creates the exception with a plain message.</summary>
    public BufferWriteException() : this("", 0, false, "buffer write failed", null)
    {
    }

    /// <summary>Creates the exception with a plain message.</summary>
    public BufferWriteException(string message) : this("", 0, false, message, null)
    {
    }

    /// <summary>Creates the exception with a plain message and cause.</summary>
    public BufferWriteException(string message, Exception innerException) : this("", 0, false, message, innerException)
    {
    }

    /// <summary>The stream of the record.</summary>
    public string Stream { get; }

    /// <summary>The seq of the record that was not stored.</summary>
    public long Seq { get; }

    /// <summary>True when the operating system said the disk is full (ENOSPC / ERROR_DISK_FULL).</summary>
    public bool DiskFull { get; }

    internal static bool IsDiskFull(Exception e) =>
        e is IOException io && (io.HResult == 28 /* ENOSPC */ || (io.HResult & 0xFFFF) is 0x70 or 0x27 /* ERROR_DISK_FULL, ERROR_HANDLE_DISK_FULL */);
}
