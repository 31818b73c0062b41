using System.Runtime.InteropServices;

namespace EquipmentIoT.Testing;

/// <summary>The few libc calls the process helpers need (Linux only, like the servers they drive).</summary>
internal static partial class LibC
{
    internal const int SigTerm = 15;
    internal const int SigKill = 9;

    // errno for "no such process": the child exited between our HasExited check and kill(2).
    internal const int Esrch = 3;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    internal static extern int Kill(int pid, int sig);

    [DllImport("libc", EntryPoint = "geteuid")]
    internal static extern uint GetEffectiveUserId();
}
