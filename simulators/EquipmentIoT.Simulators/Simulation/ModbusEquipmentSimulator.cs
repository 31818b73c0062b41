using EquipmentIoT.Simulators.Models;
using EquipmentIoT.Simulators.Outputs;

namespace EquipmentIoT.Simulators.Simulation;

/// <summary>Runs an <see cref="MrModel"/> behind a Modbus slave (input registers), with exams over MPPS.</summary>
public sealed class MrSimulator(MrModel model, IRegisterOutput registers, ExamRelay? exams, SimulationClock clock, TimeProvider time)
{
    /// <summary>Runs until cancelled, updating the registers every 200 ms.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var image = new ushort[RegisterMaps.MrInputRegisterCount];
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(200), time);
        var last = TimeSpan.Zero;
        var sinceExams = 0;
        do
        {
            var elapsed = clock.Elapsed;
            Stepper.Advance(elapsed - last, clock.Now, model.Advance);
            last = elapsed;
            RegisterMaps.Write(model.Snapshot, image);
            registers.SetInputRegisters(0, image);
            if (++sinceExams >= 5)
            {
                sinceExams = 0;
                if (exams is not null) await exams.RelayAsync(model.ExamUpdates, cancellationToken).ConfigureAwait(false);
                else model.ExamUpdates.Clear();
            }
        }
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
    }
}

/// <summary>Runs a <see cref="PrinterModel"/> behind a Modbus slave (holding registers and discrete inputs).</summary>
public sealed class PrinterSimulator(PrinterModel model, IRegisterOutput registers, SimulationClock clock, TimeProvider time)
{
    /// <summary>Runs until cancelled, updating the registers every 200 ms.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var holding = new ushort[RegisterMaps.PrinterHoldingRegisterCount];
        var discrete = new bool[RegisterMaps.PrinterDiscreteInputCount];
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(200), time);
        var last = TimeSpan.Zero;
        do
        {
            var elapsed = clock.Elapsed;
            Stepper.Advance(elapsed - last, clock.Now, (dt, _) => model.Advance(dt));
            last = elapsed;
            RegisterMaps.Write(model.Snapshot, holding, discrete);
            registers.SetHoldingRegisters(0, holding);
            registers.SetDiscreteInputs(0, discrete);
        }
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
    }
}
