using EquipmentIoT.EdgeAgent.Profiles;

namespace EquipmentIoT.EdgeAgent.Configuration;

/// <summary>Checks that a device has the connection settings each section of its profile needs.</summary>
public static class DeviceConnections
{
    /// <summary>One message per profile section the device cannot be read through.</summary>
    public static IEnumerable<string> Missing(DeviceOptions device, DeviceProfile profile)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(profile);
        if (!string.IsNullOrEmpty(profile.Kind) && !string.IsNullOrEmpty(device.Kind) && !string.Equals(profile.Kind, device.Kind, StringComparison.OrdinalIgnoreCase))
        {
            yield return $"its Kind is '{device.Kind}' but profile '{profile.Profile}' is for '{profile.Kind}'";
        }

        if (profile.Serial is not null && device.Serial is null)
            yield return $"profile '{profile.Profile}' reads a serial port: set Serial (Port, BaudRate, Parity, DataBits, StopBits)";
    }
}
