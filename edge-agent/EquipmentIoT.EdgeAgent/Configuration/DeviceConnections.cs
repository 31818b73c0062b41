using EquipmentIoT.EdgeAgent.Adapters.Mpps;
using EquipmentIoT.EdgeAgent.Profiles;

namespace EquipmentIoT.EdgeAgent.Configuration;

/// <summary>Checks that a device has the connection settings each section of its profile needs.</summary>
public static class DeviceConnections
{
    /// <summary>One message per profile section the device cannot be read through.</summary>
    public static IEnumerable<string> Missing(DeviceOptions device, DeviceProfile profile, AgentOptions agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(profile);
        if (!string.IsNullOrEmpty(profile.Kind) && !string.IsNullOrEmpty(device.Kind) && !string.Equals(profile.Kind, device.Kind, StringComparison.OrdinalIgnoreCase))
        {
            yield return $"its Kind is '{device.Kind}' but profile '{profile.Profile}' is for '{profile.Kind}'";
        }

        if (profile.Serial is not null && device.Serial is null)
            yield return $"profile '{profile.Profile}' reads a serial port: set Serial (Port, BaudRate, Parity, DataBits, StopBits)";
        if (profile.Modbus is not null && device.Modbus is null)
            yield return $"profile '{profile.Profile}' reads Modbus registers: set Modbus (Endpoint tcp://HOST:PORT or rtu:///dev/ttyX, UnitId)";
        if (profile.Mpps is not null)
        {
            if (device.Mpps is not { } mpps || (mpps.CallingAeTitle is null && mpps.StationAeTitle is null))
                yield return $"profile '{profile.Profile}' takes exams over MPPS: set Mpps.CallingAeTitle and/or Mpps.StationAeTitle";
            if (agent.Mpps is null)
                yield return $"profile '{profile.Profile}' takes exams over MPPS: set Agent:Mpps (Port, AeTitle, TimeZone) for the listener";
        }
    }

    /// <summary>
    /// The MPPS listener's settings with a binding for every profile device configured with AE titles (besides
    /// those listed in the listener's own Devices).
    /// </summary>
    public static MppsListenerOptions MppsListener(AgentOptions agent, IEnumerable<(DeviceOptions Device, DeviceProfile Profile)> devices)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var listener = agent.Mpps ?? new MppsListenerOptions();
        var bound = listener.Devices.Select(b => b.DeviceId).ToHashSet(StringComparer.Ordinal);
        return listener.WithBindings(devices
            .Where(p => p.Profile.Mpps is not null && p.Device.Mpps is not null && !bound.Contains(p.Device.Id))
            .Select(p => new MppsDeviceBinding { DeviceId = p.Device.Id, CallingAeTitle = p.Device.Mpps!.CallingAeTitle, StationAeTitle = p.Device.Mpps.StationAeTitle }));
    }
}
