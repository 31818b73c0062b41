using EquipmentIoT.EdgeAgent.Profiles;

namespace EquipmentIoT.EdgeAgent.Adapters.Modbus;

/// <summary>The 'modbus' section of a device profile. (Placeholder: filled in by the Modbus adapter work.)</summary>
public sealed class ModbusProfile : ProfileNode
{
}
