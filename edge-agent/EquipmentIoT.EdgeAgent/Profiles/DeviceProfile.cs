using EquipmentIoT.EdgeAgent.Adapters.Modbus;
using EquipmentIoT.EdgeAgent.Adapters.Mpps;
using EquipmentIoT.EdgeAgent.Adapters.Serial;

namespace EquipmentIoT.EdgeAgent.Profiles;

/// <summary>
/// A device profile: what a model of equipment says and how its words map to metrics, states, faults and
/// exams. A data file (YAML, see edge-agent/profiles/README.md); a site adds its own model by writing one.
/// Which port, host or AE title a particular device uses is configuration, not profile.
/// </summary>
public sealed class DeviceProfile : ProfileNode
{
    /// <summary>The profile's id, e.g. "mr-helium-1.5t".</summary>
    public string Profile { get; set; } = "";

    /// <summary>ct, mr, am-printer, …</summary>
    public string Kind { get; set; } = "";

    /// <summary>Manufacturer, as on the asset record.</summary>
    public string? Manufacturer { get; set; }

    /// <summary>Model, as on the asset record.</summary>
    public string? Model { get; set; }

    /// <summary>What the profile covers.</summary>
    public string? Description { get; set; }

    /// <summary>Status lines on a serial port.</summary>
    public SerialProfile? Serial { get; set; }

    /// <summary>A Modbus register map.</summary>
    public ModbusProfile? Modbus { get; set; }

    /// <summary>Exams reported over DICOM MPPS.</summary>
    public MppsProfile? Mpps { get; set; }

    /// <inheritdoc/>
    public override IEnumerable<ProfileError> Validate()
    {
        if (string.IsNullOrWhiteSpace(Profile)) yield return Error("'profile' (the profile's id) is required");
        if (string.IsNullOrWhiteSpace(Kind)) yield return Error("'kind' (ct, mr, am-printer, …) is required");
        if (Serial is null && Modbus is null && Mpps is null) yield return Error("a profile needs at least one of 'serial', 'modbus', 'mpps'");
        foreach (var section in new ProfileNode?[] { Serial, Modbus, Mpps })
        {
            if (section is null) continue;
            foreach (var e in section.Validate()) yield return e;
        }
    }
}
