using System.Text;
using EquipmentIoT.Protocols.Serial.Interop;

namespace EquipmentIoT.Protocols.Serial;

/// <summary>
/// A Unix 98 pseudo-terminal pair (posix_openpt, grantpt, unlockpt, ptsname_r): the equipment simulators
/// speak through <see cref="Master"/> and offer <see cref="SlavePath"/> (or the stable <see cref="LinkPath"/>)
/// as if it were a serial port, without socat. The slave is put in raw mode, and this object keeps the slave
/// open itself so that the master does not read EIO while no client has it open; what the master writes while
/// nobody reads waits in the slave's input queue (a few KiB) and then blocks the master's writes (use a write
/// timeout or <see cref="DiscardPendingInput"/>).
/// </summary>
public sealed class PseudoTerminal : IDisposable
{
    private readonly FileDescriptorHandle _slave;
    private bool _disposed;

    private PseudoTerminal(MasterStream master, FileDescriptorHandle slave, string slavePath, string? linkPath)
    {
        Master = master;
        _slave = slave;
        SlavePath = slavePath;
        LinkPath = linkPath;
    }

    /// <summary>The master side: what is written here is read from the slave, and the reverse.</summary>
    public TerminalStream Master { get; }

    /// <summary>The slave device, e.g. /dev/pts/7.</summary>
    public string SlavePath { get; }

    /// <summary>A symbolic link to <see cref="SlavePath"/> made by <see cref="Open"/>, removed on dispose; null when none was asked for.</summary>
    public string? LinkPath { get; }

    /// <summary>
    /// Opens a new pair. With <paramref name="linkPath"/>, a symbolic link there points at the slave
    /// (an existing symbolic link there is replaced; any other file is refused).
    /// </summary>
    /// <exception cref="SerialCommunicationException">The pair cannot be made.</exception>
    /// <exception cref="IOException"><paramref name="linkPath"/> exists and is not a symbolic link.</exception>
    public static unsafe PseudoTerminal Open(string? linkPath = null)
    {
        const string what = "pseudo-terminal";
        var fd = LibC.PosixOpenPt(LibC.ORdWr | LibC.ONoCtty | LibC.OCloExec);
        if (fd < 0) throw SerialCommunicationException.LastError(what, "posix_openpt");
        var master = new FileDescriptorHandle(fd);
        FileDescriptorHandle? slave = null;
        try
        {
            if (LibC.GrantPt(fd) < 0) throw SerialCommunicationException.LastError(what, "grantpt");
            if (LibC.UnlockPt(fd) < 0) throw SerialCommunicationException.LastError(what, "unlockpt");
            var name = stackalloc byte[128];
            var rc = LibC.PtsNameR(fd, name, 128);
            if (rc != 0) throw SerialCommunicationException.FromErrno(what, "ptsname_r", rc);
            var slavePath = Encoding.UTF8.GetString(name, IndexOfNul(name));

            var slaveFd = LibC.Open(slavePath, LibC.ORdWr | LibC.ONoCtty | LibC.ONonBlock | LibC.OCloExec);
            if (slaveFd < 0) throw SerialCommunicationException.LastError(slavePath, "open");
            slave = new FileDescriptorHandle(slaveFd);
            MakeRaw(slaveFd, slavePath);
            SetNonBlocking(fd, what);

            if (linkPath is not null) Link(linkPath, slavePath);
            return new PseudoTerminal(new MasterStream(master, slavePath), slave, slavePath, linkPath);
        }
        catch
        {
            slave?.Dispose();
            master.Dispose();
            throw;
        }
    }

    /// <summary>Drops what the master wrote that no client has read yet (tcflush TCIFLUSH on the slave).</summary>
    public void DiscardPendingInput()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (LibC.TcFlush(_slave.Fd, LibC.TcIFlush) < 0) throw SerialCommunicationException.LastError(SlavePath, "tcflush");
    }

    /// <summary>Closes both sides and removes the link.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (LinkPath is not null && IsLinkTo(LinkPath, SlavePath)) File.Delete(LinkPath);
        Master.Dispose();
        _slave.Dispose();
    }

    private static unsafe int IndexOfNul(byte* name)
    {
        var i = 0;
        while (i < 128 && name[i] != 0) i++;
        return i;
    }

    private static unsafe void MakeRaw(int fd, string path)
    {
        LibC.Termios t;
        if (LibC.TcGetAttr(fd, &t) < 0) throw SerialCommunicationException.LastError(path, "tcgetattr");
        LibC.CfMakeRaw(&t); // VMIN 1, VTIME 0: see SerialPort.Configure
        if (LibC.TcSetAttr(fd, LibC.TcsaNow, &t) < 0) throw SerialCommunicationException.LastError(path, "tcsetattr");
    }

    // POSIX defines only O_RDWR and O_NOCTTY for posix_openpt; TerminalStream needs O_NONBLOCK, so F_SETFL.
    private static void SetNonBlocking(int fd, string path)
    {
        var current = LibC.Fcntl(fd, LibC.FGetFl, 0);
        if (current < 0 || LibC.Fcntl(fd, LibC.FSetFl, current | LibC.ONonBlock) < 0) throw SerialCommunicationException.LastError(path, "fcntl(O_NONBLOCK)");
    }

    private static void Link(string linkPath, string slavePath)
    {
        var existing = new FileInfo(linkPath);
        if (existing.LinkTarget is not null) existing.Delete();
        else if (existing.Exists) throw new IOException($"{linkPath} exists and is not a symbolic link; not replacing it");
        File.CreateSymbolicLink(linkPath, slavePath);
    }

    private static bool IsLinkTo(string linkPath, string target) => new FileInfo(linkPath).LinkTarget == target;

    private sealed class MasterStream(FileDescriptorHandle fd, string slavePath) : TerminalStream(fd, $"pty master of {slavePath}");
}
