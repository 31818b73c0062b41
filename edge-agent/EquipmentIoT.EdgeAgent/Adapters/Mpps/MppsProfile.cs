using EquipmentIoT.EdgeAgent.Profiles;

namespace EquipmentIoT.EdgeAgent.Adapters.Mpps;

/// <summary>The 'mpps' section of a device profile. (Placeholder: filled in by the Mpps adapter work.)</summary>
public sealed class MppsProfile : ProfileNode
{
}
