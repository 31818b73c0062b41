using EquipmentIoT.Simulators.Simulation;

namespace EquipmentIoT.Simulators.Outputs;

/// <summary>Creates the MPPS SCU a modality reports its exams with.</summary>
public static class MppsOutputs
{
    /// <summary>An SCU calling <see cref="SimulatorOptions.Mpps"/> as <paramref name="callingAeTitle"/>.</summary>
    public static IExamOutput Create(SimulatorOptions options, string callingAeTitle) =>
        throw new NotSupportedException("MPPS SCU: arrives with the DICOM protocol library");
}
