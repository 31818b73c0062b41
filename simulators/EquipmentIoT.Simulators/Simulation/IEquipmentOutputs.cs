using EquipmentIoT.Simulators.Models;

namespace EquipmentIoT.Simulators.Simulation;

/// <summary>A serial port the simulated equipment writes its lines to, which the scenario can pull and plug back.</summary>
public interface ISerialOutput : IAsyncDisposable
{
    /// <summary>The path the agent opens (a stable symlink to the pseudo terminal).</summary>
    string Path { get; }

    /// <summary>True while the cable is in.</summary>
    bool IsPlugged { get; }

    /// <summary>Writes bytes; dropped while unplugged.</summary>
    ValueTask WriteAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken);

    /// <summary>Pulls the cable: the port disappears.</summary>
    ValueTask UnplugAsync(CancellationToken cancellationToken);

    /// <summary>Plugs it back: the port appears again at the same path.</summary>
    ValueTask PlugAsync(CancellationToken cancellationToken);
}

/// <summary>The Modbus slave's data: what the simulator updates and a master reads.</summary>
public interface IRegisterOutput : IAsyncDisposable
{
    /// <summary>Where the master connects (e.g. tcp://127.0.0.1:5020).</summary>
    string Endpoint { get; }

    /// <summary>Replaces the holding registers from <paramref name="first"/> on, atomically for the master.</summary>
    void SetHoldingRegisters(ushort first, ReadOnlySpan<ushort> values);

    /// <summary>Replaces the input registers from <paramref name="first"/> on.</summary>
    void SetInputRegisters(ushort first, ReadOnlySpan<ushort> values);

    /// <summary>Replaces the discrete inputs from <paramref name="first"/> on.</summary>
    void SetDiscreteInputs(ushort first, ReadOnlySpan<bool> values);
}

/// <summary>Reports exams the way the modality does: MPPS N-CREATE at the start, N-SET at the end.</summary>
public interface IExamOutput : IAsyncDisposable
{
    /// <summary>Sends the exam's start (in progress) or its end (completed/discontinued). Throws when the SCP cannot be reached.</summary>
    Task ReportAsync(Exam exam, CancellationToken cancellationToken);
}

/// <summary>The SCP answered and refused the report: sending it again would be refused again.</summary>
public sealed class ExamRefusedException : IOException
{
    /// <summary>Creates the exception.</summary>
    public ExamRefusedException()
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/>.</summary>
    public ExamRefusedException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with <paramref name="message"/> and its cause.</summary>
    public ExamRefusedException(string message, Exception inner) : base(message, inner)
    {
    }
}
