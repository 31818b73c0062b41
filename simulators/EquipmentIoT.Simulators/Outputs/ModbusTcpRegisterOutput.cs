using System.Globalization;
using System.Net;
using EquipmentIoT.Protocols.Modbus.Server;
using EquipmentIoT.Simulators.Simulation;

namespace EquipmentIoT.Simulators.Outputs;

/// <summary>A Modbus TCP slave holding the simulated equipment's registers, answering one unit id.</summary>
public sealed class ModbusTcpRegisterOutput : IRegisterOutput
{
    private readonly ModbusDataStore _store = new(coils: 16, discreteInputs: 16, holdingRegisters: 64, inputRegisters: 64);
    private readonly ModbusServer _server;

    /// <summary>Listens on <paramref name="endpoint"/> (tcp://127.0.0.1:PORT), answering unit <paramref name="unitId"/>.</summary>
    public ModbusTcpRegisterOutput(string endpoint, byte unitId)
    {
        var listen = ParseTcp(endpoint);
        _server = new ModbusServer(unit => unit == unitId ? _store : null);
        var bound = _server.StartTcp(listen);
        Endpoint = string.Create(CultureInfo.InvariantCulture, $"tcp://{bound.Address}:{bound.Port}");
    }

    /// <inheritdoc/>
    public string Endpoint { get; }

    /// <summary>Requests answered.</summary>
    public long Requests => _server.RequestsServed;

    /// <inheritdoc/>
    public void SetHoldingRegisters(ushort first, ReadOnlySpan<ushort> values) => _store.SetHoldingRegisters(first, values);

    /// <inheritdoc/>
    public void SetInputRegisters(ushort first, ReadOnlySpan<ushort> values) => _store.SetInputRegisters(first, values);

    /// <inheritdoc/>
    public void SetDiscreteInputs(ushort first, ReadOnlySpan<bool> values) => _store.SetDiscreteInputs(first, values);

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _server.DisposeAsync();

    /// <summary>Parses tcp://HOST:PORT (an IP address; simulators listen on loopback or a given interface).</summary>
    public static IPEndPoint ParseTcp(string endpoint)
    {
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme != "tcp" || uri.Port <= 0
            || !IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address))
        {
            throw new FormatException($"'{endpoint}' is not tcp://IP:PORT");
        }

        return new IPEndPoint(address, uri.Port);
    }
}
