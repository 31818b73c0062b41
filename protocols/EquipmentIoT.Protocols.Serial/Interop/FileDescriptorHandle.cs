using Microsoft.Win32.SafeHandles;

namespace EquipmentIoT.Protocols.Serial.Interop;

/// <summary>
/// A Unix file descriptor. Being a <see cref="System.Runtime.InteropServices.SafeHandle"/>, close(2) waits
/// until no call is using it (DangerousAddRef/Release), so a read blocked in poll(2) never sees its
/// descriptor number reused by another open file.
/// </summary>
internal sealed class FileDescriptorHandle : SafeHandleMinusOneIsInvalid
{
    public FileDescriptorHandle(int fd)
        : base(ownsHandle: true) => SetHandle(fd);

    public int Fd => (int)DangerousGetHandle();

    protected override bool ReleaseHandle() => LibC.Close((int)handle) == 0;
}
