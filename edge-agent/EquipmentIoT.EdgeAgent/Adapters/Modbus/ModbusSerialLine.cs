using EquipmentIoT.Protocols.Serial;

namespace EquipmentIoT.EdgeAgent.Adapters.Modbus;

/// <summary>Opens an RTU bus's serial line: our termios port with the device's baud rate, parity, data and stop bits.</summary>
public static class ModbusSerialLine
{
    /// <summary>The transport factory the agent uses: TCP and RTU-over-TCP itself, RTU on a serial port through <see cref="OpenAsync"/>.</summary>
    public static ModbusTransportFactory Factory() => new(OpenAsync);

    /// <summary>Opens <paramref name="endpoint"/>'s device path with <paramref name="options"/>' line settings.</summary>
    public static ValueTask<Stream> OpenAsync(ModbusEndpoint endpoint, ModbusDeviceOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(options);
        return ValueTask.FromResult<Stream>(SerialPort.Open(new SerialPortSettings(endpoint.DevicePath, options.BaudRate, options.Parity, options.DataBits, options.StopBits)));
    }
}
