using EquipmentIoT.EdgeAgent.Profiles;

namespace EquipmentIoT.EdgeAgent.Adapters.Serial;

/// <summary>The 'serial' section of a device profile. (Placeholder: filled in by the Serial adapter work.)</summary>
public sealed class SerialProfile : ProfileNode
{
}
