namespace EquipmentIoT.Testing;

/// <summary>The POSIX signals <see cref="ChildProcess.Kill(Signal)"/> can send.</summary>
public enum Signal
{
    /// <summary>SIGTERM: ask the process to shut down gracefully (servers flush and save state).</summary>
    Term = LibC.SigTerm,

    /// <summary>SIGKILL to the whole process tree: a crash, nothing is flushed.</summary>
    Kill = LibC.SigKill,
}
