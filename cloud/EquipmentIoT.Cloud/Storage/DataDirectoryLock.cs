using System.Diagnostics.CodeAnalysis;

namespace EquipmentIoT.Cloud.Storage;

/// <summary>How a <see cref="DataDirectoryLock"/> is held.</summary>
public enum DataDirectoryLockMode
{
    /// <summary>A running cloud instance or a backup: several may hold it at once (two instances may share a data directory).</summary>
    Shared,

    /// <summary>A restore: nothing else may use the directory meanwhile.</summary>
    Exclusive,
}

/// <summary>
/// An advisory lock on <c>{data}/cloud.lock</c> that tells "the stores in this directory are in use": a running
/// cloud holds it shared for its lifetime, a backup holds it shared while it copies, a restore needs it
/// exclusively and so refuses to overwrite the files of a running instance. The lock is <c>flock(2)</c> on the
/// open file (what .NET takes on Linux for <see cref="FileShare.None"/> / a shared FileShare), so the kernel
/// releases it when the process dies; the file itself stays and means nothing when unlocked.
/// </summary>
public sealed class DataDirectoryLock : IDisposable
{
    /// <summary>The lock file's name in the data directory.</summary>
    public const string FileName = "cloud.lock";

    // flock(LOCK_NB) on a held lock: .NET reports EWOULDBLOCK (EAGAIN, 11 on Linux) as the IOException's HResult.
    private const int WouldBlock = 11;

    private readonly FileStream _file;

    private DataDirectoryLock(FileStream file, string directory, DataDirectoryLockMode mode)
    {
        _file = file;
        Directory = directory;
        Mode = mode;
    }

    public string Directory { get; }

    public DataDirectoryLockMode Mode { get; }

    /// <summary>Takes the lock without waiting; false when another holder's mode conflicts. Creates the directory when missing.</summary>
    public static bool TryAcquire(string dataDirectory, DataDirectoryLockMode mode, [NotNullWhen(true)] out DataDirectoryLock? held)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        var directory = Path.GetFullPath(dataDirectory);
        System.IO.Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName);
        try
        {
            var file = mode == DataDirectoryLockMode.Exclusive
                ? new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None)
                : new FileStream(path, FileMode.OpenOrCreate, FileAccess.Read, FileShare.ReadWrite);
            held = new DataDirectoryLock(file, directory, mode);
            return true;
        }
        catch (IOException ex) when (ex.GetType() == typeof(IOException) && ex.HResult == WouldBlock)
        {
            held = null;
            return false;
        }
    }

    /// <summary>Takes the lock without waiting.</summary>
    /// <exception cref="DataDirectoryLockedException">Another holder's mode conflicts.</exception>
    public static DataDirectoryLock Acquire(string dataDirectory, DataDirectoryLockMode mode) =>
        TryAcquire(dataDirectory, mode, out var held)
            ? held
            : throw new DataDirectoryLockedException(Path.GetFullPath(dataDirectory), mode);

    public void Dispose() => _file.Dispose();
}

/// <summary>The data directory's lock is held in a conflicting mode (an instance runs there, or a restore does).</summary>
public sealed class DataDirectoryLockedException : IOException
{
    public DataDirectoryLockedException(string directory, DataDirectoryLockMode wanted)
        : base(wanted == DataDirectoryLockMode.Exclusive
            ? $"{directory} is in use: a cloud instance or a backup holds {Path.Combine(directory, DataDirectoryLock.FileName)}; stop it first"
            : $"{directory} is being restored ({Path.Combine(directory, DataDirectoryLock.FileName)} is held exclusively); wait for the restore to finish")
    {
        Directory = directory;
    }

    public DataDirectoryLockedException()
    {
        Directory = "";
    }

    public DataDirectoryLockedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Directory = "";
    }

    public string Directory { get; }
}
