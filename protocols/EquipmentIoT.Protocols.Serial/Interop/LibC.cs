using System.Runtime.InteropServices;

namespace EquipmentIoT.Protocols.Serial.Interop;

/// <summary>
/// The libc calls behind serial ports and pseudo-terminals. Constants are Linux's asm-generic values
/// (include/uapi/asm-generic/termbits.h, fcntl.h, poll.h, ioctls.h), identical on x86-64 and arm64.
/// </summary>
internal static unsafe partial class LibC
{
    // open(2) flags (asm-generic/fcntl.h, octal there).
    internal const int ORdWr = 0x2;        // O_RDWR     00000002
    internal const int ONoCtty = 0x100;    // O_NOCTTY   00000400
    internal const int ONonBlock = 0x800;  // O_NONBLOCK 00004000
    internal const int OCloExec = 0x80000; // O_CLOEXEC  02000000

    // errno (asm-generic/errno-base.h).
    internal const int ENoEnt = 2;
    internal const int EIntr = 4;
    internal const int EIo = 5;
    internal const int ENxIo = 6;
    internal const int EAgain = 11; // also EWOULDBLOCK
    internal const int EAcces = 13;
    internal const int EBusy = 16;
    internal const int ENoDev = 19;

    // termios c_cflag bits (termbits.h).
    internal const uint CBaud = 0x100F;     // CBAUD   0010017
    internal const uint CSize = 0x30;       // CSIZE   0000060
    internal const uint CS5 = 0x00;
    internal const uint CS6 = 0x10;
    internal const uint CS7 = 0x20;
    internal const uint CS8 = 0x30;
    internal const uint CStopB = 0x40;      // CSTOPB  0000100
    internal const uint CRead = 0x80;       // CREAD   0000200
    internal const uint ParEnb = 0x100;     // PARENB  0000400
    internal const uint ParOdd = 0x200;     // PARODD  0001000
    internal const uint CLocal = 0x800;     // CLOCAL  0004000
    internal const uint CRtsCts = 0x80000000; // CRTSCTS 020000000000

    // termios c_iflag bits.
    internal const uint InPck = 0x10;   // INPCK  0000020
    internal const uint IxOn = 0x400;   // IXON   0002000
    internal const uint IxAny = 0x800;  // IXANY  0004000
    internal const uint IxOff = 0x1000; // IXOFF  0010000

    // c_cc indexes.
    internal const int VTime = 5;
    internal const int VMin = 6;

    // Speeds (termbits.h Bxxxx).
    internal const uint B1200 = 0x9;      // 0000011
    internal const uint B1800 = 0xA;      // 0000012
    internal const uint B2400 = 0xB;      // 0000013
    internal const uint B4800 = 0xC;      // 0000014
    internal const uint B9600 = 0xD;      // 0000015
    internal const uint B19200 = 0xE;     // 0000016
    internal const uint B38400 = 0xF;     // 0000017
    internal const uint B57600 = 0x1001;  // 0010001
    internal const uint B115200 = 0x1002; // 0010002
    internal const uint B230400 = 0x1003; // 0010003

    // tcsetattr/tcflush selectors.
    internal const int TcsaNow = 0;
    internal const int TcIFlush = 0;
    internal const int TcOFlush = 1;
    internal const int TcIOFlush = 2;

    // ioctls (asm-generic/ioctls.h).
    internal const nuint TiocExcl = 0x540C;
    internal const nuint TiocOutQ = 0x5411;

    // flock(2).
    internal const int LockEx = 2;
    internal const int LockNb = 4;

    // poll(2) events.
    internal const short PollIn = 0x1;
    internal const short PollOut = 0x4;
    internal const short PollErr = 0x8;
    internal const short PollHup = 0x10;
    internal const short PollNval = 0x20;

    // eventfd(2) flags.
    internal const int EfdNonBlock = 0x800;
    internal const int EfdCloExec = 0x80000;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    internal static partial nint Read(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    internal static partial nint Write(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    internal static partial int Poll(PollFd* fds, nuint count, int timeoutMilliseconds);

    [LibraryImport("libc", EntryPoint = "isatty", SetLastError = true)]
    internal static partial int IsATty(int fd);

    [LibraryImport("libc", EntryPoint = "tcgetattr", SetLastError = true)]
    internal static partial int TcGetAttr(int fd, Termios* termios);

    [LibraryImport("libc", EntryPoint = "tcsetattr", SetLastError = true)]
    internal static partial int TcSetAttr(int fd, int optionalActions, Termios* termios);

    [LibraryImport("libc", EntryPoint = "cfmakeraw")]
    internal static partial void CfMakeRaw(Termios* termios);

    [LibraryImport("libc", EntryPoint = "cfsetispeed", SetLastError = true)]
    internal static partial int CfSetISpeed(Termios* termios, uint speed);

    [LibraryImport("libc", EntryPoint = "cfsetospeed", SetLastError = true)]
    internal static partial int CfSetOSpeed(Termios* termios, uint speed);

    [LibraryImport("libc", EntryPoint = "cfgetospeed")]
    internal static partial uint CfGetOSpeed(Termios* termios);

    [LibraryImport("libc", EntryPoint = "tcflush", SetLastError = true)]
    internal static partial int TcFlush(int fd, int queueSelector);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    internal static partial int Ioctl(int fd, nuint request, nint argument);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    internal static partial int Ioctl(int fd, nuint request, int* argument);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    internal static partial int Flock(int fd, int operation);

    [LibraryImport("libc", EntryPoint = "eventfd", SetLastError = true)]
    internal static partial int EventFd(uint initialValue, int flags);

    [LibraryImport("libc", EntryPoint = "posix_openpt", SetLastError = true)]
    internal static partial int PosixOpenPt(int flags);

    [LibraryImport("libc", EntryPoint = "grantpt", SetLastError = true)]
    internal static partial int GrantPt(int fd);

    [LibraryImport("libc", EntryPoint = "unlockpt", SetLastError = true)]
    internal static partial int UnlockPt(int fd);

    // Returns 0 or an error number itself (it does not set errno).
    [LibraryImport("libc", EntryPoint = "ptsname_r")]
    internal static partial int PtsNameR(int fd, byte* buffer, nuint length);

    /// <summary>struct pollfd (poll.h): int fd; short events; short revents.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct PollFd
    {
        public int Fd;
        public short Events;
        public short ReturnedEvents;
    }

    /// <summary>
    /// glibc's struct termios (bits/termios-struct.h, NCCS 32): c_iflag, c_oflag, c_cflag, c_lflag (4 bytes
    /// each, 00-15), c_line (16), c_cc[32] (17-48), padding, c_ispeed (52-55), c_ospeed (56-59).
    /// </summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct Termios
    {
        public uint InputFlags;
        public uint OutputFlags;
        public uint ControlFlags;
        public uint LocalFlags;
        public byte LineDiscipline;
        public fixed byte ControlCharacters[32];
        public uint InputSpeed;
        public uint OutputSpeed;
    }
}

internal static partial class LibC
{
    // fcntl(2) commands (asm-generic/fcntl.h).
    internal const int FGetFl = 3;
    internal const int FSetFl = 4;

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    internal static partial int Fcntl(int fd, int command, int argument);
}
