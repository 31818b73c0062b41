using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace EquipmentIoT.EdgeAgent.Buffer;

/// <summary>
/// The steps of an append that touch the disk, as a seam: tests replace it to make a write fail half
/// way (a full disk) or to count fsyncs. Everything else in the buffer uses RandomAccess directly.
/// </summary>
internal class SegmentFileIo
{
    public static SegmentFileIo Default { get; } = new();

    /// <summary>Writes <paramref name="buffers"/> back to back at <paramref name="offset"/> (one pwritev where the OS has it).</summary>
    public virtual void Write(SafeFileHandle file, IReadOnlyList<ReadOnlyMemory<byte>> buffers, long offset) =>
        RandomAccess.Write(file, buffers, offset);

    /// <summary>Makes what was written to <paramref name="file"/> durable (fsync).</summary>
    public virtual void Flush(FileStream file) => file.Flush(flushToDisk: true);

    /// <summary>Makes a new directory entry durable (fsync of the directory; POSIX only, Windows has no equivalent need).</summary>
    public virtual void SyncDirectory(string directory)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS() && !OperatingSystem.IsFreeBSD()) return;
        var fd = NativeMethods.Open(directory, 0 /* O_RDONLY */);
        if (fd < 0) throw new IOException($"cannot open directory {directory} to fsync it (errno {Marshal.GetLastPInvokeError()})");
        try
        {
            if (NativeMethods.Fsync(fd) != 0) throw new IOException($"fsync of directory {directory} failed (errno {Marshal.GetLastPInvokeError()})");
        }
        finally
        {
            _ = NativeMethods.Close(fd);
        }
    }

    private static class NativeMethods
    {
        [DllImport("libc", EntryPoint = "open", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

        [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Fsync(int fd);

        [DllImport("libc", EntryPoint = "close", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Close(int fd);
    }
}
