namespace EquipmentIoT.EdgeAgent.Adapters.Modbus;

/// <summary>How a Modbus device is reached.</summary>
public enum ModbusTransportKind
{
    /// <summary>Modbus TCP (MBAP), <c>tcp://host:port</c> (port 502 by default).</summary>
    Tcp,
    /// <summary>RTU on a serial line, <c>rtu:///dev/ttyUSB0</c>.</summary>
    Rtu,
    /// <summary>RTU frames carried over a TCP socket (serial-to-Ethernet converters in transparent mode), <c>rtu+tcp://host:port</c>.</summary>
    RtuOverTcp,
}

/// <summary>A parsed device endpoint. <see cref="Key"/> names the bus: devices with the same key share one master.</summary>
public sealed record ModbusEndpoint(ModbusTransportKind Kind, string Host, int Port, string DevicePath)
{
    /// <summary>The default Modbus TCP port (TCP/IP Implementation Guide §4.1).</summary>
    public const int DefaultTcpPort = 502;

    /// <summary>The bus key: "tcp://host:port", "rtu:///dev/…" or "rtu+tcp://host:port".</summary>
    public string Key => Kind switch
    {
        ModbusTransportKind.Rtu => $"rtu://{DevicePath}",
        ModbusTransportKind.Tcp => $"tcp://{Host}:{Port}",
        _ => $"rtu+tcp://{Host}:{Port}",
    };

    /// <summary>Parses <paramref name="text"/>; false with <paramref name="error"/> saying why.</summary>
    public static bool TryParse(string? text, out ModbusEndpoint? endpoint, out string error)
    {
        endpoint = null;
        error = "";
        if (string.IsNullOrWhiteSpace(text) || !Uri.TryCreate(text, UriKind.Absolute, out var uri))
        {
            error = $"'{text}' is not tcp://host:port, rtu:///dev/ttyX or rtu+tcp://host:port";
            return false;
        }

        switch (uri.Scheme)
        {
            case "tcp" or "rtu+tcp":
                if (string.IsNullOrEmpty(uri.Host) || uri.AbsolutePath is not ("/" or ""))
                {
                    error = $"'{text}' needs a host and nothing after the port";
                    return false;
                }

                var port = uri.IsDefaultPort || uri.Port < 0 ? DefaultTcpPort : uri.Port;
                endpoint = new ModbusEndpoint(uri.Scheme == "tcp" ? ModbusTransportKind.Tcp : ModbusTransportKind.RtuOverTcp, uri.Host, port, "");
                return true;
            case "rtu":
                // An absolute path: /dev/ttyUSB0, a udev link such as /dev/serial/by-id/…, or a link a site made elsewhere.
                if (!string.IsNullOrEmpty(uri.Host) || uri.AbsolutePath.Length < 2)
                {
                    error = $"'{text}' must name a serial device by its absolute path, as rtu:///dev/ttyUSB0";
                    return false;
                }

                endpoint = new ModbusEndpoint(ModbusTransportKind.Rtu, "", 0, Uri.UnescapeDataString(uri.AbsolutePath));
                return true;
            default:
                error = $"'{text}': the scheme must be tcp, rtu or rtu+tcp";
                return false;
        }
    }
}
