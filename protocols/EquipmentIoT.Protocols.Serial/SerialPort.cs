using EquipmentIoT.Protocols.Serial.Interop;

namespace EquipmentIoT.Protocols.Serial;

/// <summary>
/// A Linux serial device opened through termios: raw mode, the speed and character format of
/// <see cref="SerialPortSettings"/>, no flow control, CLOCAL (modem lines ignored) and CREAD. Opened
/// exclusively: TIOCEXCL refuses further opens by other users, and an flock(2) lock (which binds root as well)
/// makes a second agent or simulator fail with "in use" instead of stealing half the bytes.
/// See <see cref="TerminalStream"/> for read, write and hang-up behaviour.
/// </summary>
public sealed class SerialPort : TerminalStream
{
    private SerialPort(FileDescriptorHandle fd, SerialPortSettings settings)
        : base(fd, settings.Path) => Settings = settings;

    /// <summary>The settings the port was opened with (and which the driver confirmed).</summary>
    public SerialPortSettings Settings { get; }

    /// <summary>
    /// Opens and configures the device; pending input and output are discarded.
    /// </summary>
    /// <exception cref="ArgumentException">The settings are invalid.</exception>
    /// <exception cref="SerialCommunicationException">The device is missing, in use, not a terminal or refuses the settings.</exception>
    public static SerialPort Open(SerialPortSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        var path = settings.Path;
        var fd = LibC.Open(path, LibC.ORdWr | LibC.ONoCtty | LibC.ONonBlock | LibC.OCloExec);
        if (fd < 0) throw SerialCommunicationException.LastError(path, "open");
        var handle = new FileDescriptorHandle(fd);
        try
        {
            if (LibC.IsATty(fd) != 1) throw new SerialCommunicationException($"{path}: not a terminal device", 0, isTransient: false);
            if (LibC.Ioctl(fd, LibC.TiocExcl, 0) < 0) throw SerialCommunicationException.LastError(path, "ioctl(TIOCEXCL)");
            if (LibC.Flock(fd, LibC.LockEx | LibC.LockNb) < 0)
            {
                throw new SerialCommunicationException($"{path}: in use by another process (flock)", LibC.EBusy, isTransient: true);
            }

            Configure(fd, settings);
            if (LibC.TcFlush(fd, LibC.TcIOFlush) < 0) throw SerialCommunicationException.LastError(path, "tcflush");
            return new SerialPort(handle, settings);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>True when <paramref name="path"/> (after following links) is a Unix 98 pseudo-terminal slave (/dev/pts/N).</summary>
    public static bool IsPseudoTerminal(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var target = new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? path;
        return target.StartsWith("/dev/pts/", StringComparison.Ordinal);
    }

    private static unsafe void Configure(int fd, SerialPortSettings settings)
    {
        var path = settings.Path;
        LibC.Termios t;
        if (LibC.TcGetAttr(fd, &t) < 0) throw SerialCommunicationException.LastError(path, "tcgetattr");

        // Raw: no echo, no canonical lines, no signals, no CR/LF translation, 8 bits through untouched.
        LibC.CfMakeRaw(&t);
        t.InputFlags &= ~(LibC.IxOn | LibC.IxOff | LibC.IxAny);
        // With parity, check it on input: a character with a parity error reads as NUL (no PARMRK/IGNPAR),
        // which the line framer counts and Modbus's CRC rejects.
        t.InputFlags = settings.Parity == SerialParity.None ? t.InputFlags & ~LibC.InPck : t.InputFlags | LibC.InPck;
        t.ControlFlags &= ~(LibC.CSize | LibC.CStopB | LibC.ParEnb | LibC.ParOdd | LibC.CRtsCts);
        t.ControlFlags |= settings.CharacterFormatFlags() | LibC.CLocal | LibC.CRead;
        // VMIN 1, VTIME 0 (as cfmakeraw leaves them): with O_NONBLOCK an empty queue reads EAGAIN, so read()
        // returning 0 means end of file (hang-up). With VMIN 0 Linux's n_tty returns 0 for "no data" instead.
        t.ControlCharacters[LibC.VMin] = 1;
        t.ControlCharacters[LibC.VTime] = 0;
        var speed = settings.SpeedConstant();
        if (LibC.CfSetISpeed(&t, speed) < 0 || LibC.CfSetOSpeed(&t, speed) < 0)
        {
            throw SerialCommunicationException.LastError(path, $"cfsetspeed({settings.BaudRate})", isTransient: false);
        }

        if (LibC.TcSetAttr(fd, LibC.TcsaNow, &t) < 0) throw SerialCommunicationException.LastError(path, "tcsetattr", isTransient: false);

        // tcsetattr succeeds if *any* change was made: read back and compare what matters (POSIX tcsetattr, APPLICATION USAGE).
        LibC.Termios check;
        if (LibC.TcGetAttr(fd, &check) < 0) throw SerialCommunicationException.LastError(path, "tcgetattr");
        // A pseudo-terminal is always 8 data bits without parity: Linux's pty_set_termios forces CS8 and clears
        // PARENB, so only speed, stop bits and PARODD can be checked there.
        var format = IsPseudoTerminal(path) ? LibC.CStopB | LibC.ParOdd : LibC.CSize | LibC.CStopB | LibC.ParEnb | LibC.ParOdd;
        if ((check.ControlFlags & format) != (t.ControlFlags & format) || LibC.CfGetOSpeed(&check) != speed)
        {
            throw new SerialCommunicationException($"{path}: the driver did not accept {settings}", 0, isTransient: false);
        }
    }
}
