using System.Diagnostics.CodeAnalysis;

namespace EquipmentIoT.Cloud.Scheduling;

/// <summary>
/// Which of the instances sharing a data directory fires the scheduled jobs: the one holding an exclusive
/// <c>flock(2)</c> on <c>{data}/scheduler.leader</c> (what .NET takes on Linux for <see cref="FileShare.None"/>).
/// The kernel releases it when the holder's process ends, however it ends, so a standby instance that tries again
/// takes over without any clean-up or timeout of ours.
/// <para>
/// Why not Quartz's own clustering: Quartz refuses a clustered store on SQLite at start-up ("SQLite cannot be used
/// as clustered mode due to locking problems", <c>AdoJobStoreBase.Initialize</c>), because it serialises a SQLite
/// store with an in-process lock. A non-clustered store shared by two running schedulers would let each one's
/// start-up recovery reset the other's acquired triggers; one leader at a time is the arrangement that is safe.
/// </para>
/// </summary>
public sealed class SchedulerLeadership : IDisposable
{
    /// <summary>The lock file's name in the data directory.</summary>
    public const string FileName = "scheduler.leader";

    // flock(LOCK_NB) on a held lock: .NET reports EWOULDBLOCK (EAGAIN, 11 on Linux) as the IOException's HResult.
    private const int WouldBlock = 11;

    private readonly Lock _gate = new();
    private FileStream? _held;

    public SchedulerLeadership(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        Path = System.IO.Path.Combine(System.IO.Path.GetFullPath(dataDirectory), FileName);
    }

    /// <summary>The lock file.</summary>
    public string Path { get; }

    /// <summary>True while this instance leads.</summary>
    public bool IsLeader
    {
        get
        {
            lock (_gate) return _held is not null;
        }
    }

    /// <summary>Takes the lead without waiting; false when another instance (or another scheduler in this process) holds it.</summary>
    public bool TryAcquire()
    {
        lock (_gate)
        {
            if (_held is not null) return true;
            if (!TryOpen(Path, out var file)) return false;
            _held = file;
            return true;
        }
    }

    /// <summary>Gives the lead up (after the scheduler has shut down, so that a successor never overlaps a running job).</summary>
    public void Release()
    {
        lock (_gate)
        {
            _held?.Dispose();
            _held = null;
        }
    }

    public void Dispose() => Release();

    private static bool TryOpen(string path, [NotNullWhen(true)] out FileStream? file)
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        try
        {
            file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            return true;
        }
        catch (IOException ex) when (ex.GetType() == typeof(IOException) && ex.HResult == WouldBlock)
        {
            file = null;
            return false;
        }
    }
}
