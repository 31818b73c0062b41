using System.Runtime.InteropServices;

namespace EquipmentIoT.Protocols.Serial;

/// <summary>
/// A serial device could not be opened, read or written: missing, unplugged (hang-up, EIO), in use, or
/// refusing its settings. <see cref="IsTransient"/> says whether trying again later may succeed.
/// </summary>
public sealed class SerialCommunicationException : IOException
{
    /// <summary>Creates an exception.</summary>
    public SerialCommunicationException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    public SerialCommunicationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    public SerialCommunicationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception with a message, the errno behind it (0 when none) and whether it is transient.</summary>
    public SerialCommunicationException(string message, int errno, bool isTransient)
        : base(message)
    {
        Errno = errno;
        IsTransient = isTransient;
    }

    /// <summary>The errno of the failed call, 0 when the failure was not a failed call (e.g. a hang-up).</summary>
    public int Errno { get; }

    /// <summary>True when the device may come back (unplugged, missing, busy): retry with backoff.</summary>
    public bool IsTransient { get; } = true;

    /// <summary>"PATH: OPERATION failed: strerror (errno N)" for the calling thread's last P/Invoke error.</summary>
    internal static SerialCommunicationException LastError(string path, string operation, bool isTransient = true) =>
        FromErrno(path, operation, Marshal.GetLastPInvokeError(), isTransient);

    internal static SerialCommunicationException FromErrno(string path, string operation, int errno, bool isTransient = true) =>
        new($"{path}: {operation} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})", errno, isTransient);
}
