using System.Globalization;
using System.Net;
using EquipmentIoT.Protocols.Modbus.Server;
using EquipmentIoT.Protocols.Serial;
using EquipmentIoT.Simulators.Simulation;

namespace EquipmentIoT.Simulators.Outputs;

/// <summary>
/// A Modbus slave holding the simulated equipment's registers, answering one unit id: over TCP
/// (<c>tcp://IP:PORT</c>) or as RTU on a serial line (<c>rtu:PATH</c>: a pseudo terminal linked at PATH, which the
/// agent opens as <c>rtu://PATH</c> like a USB RS-485 adapter).
/// </summary>
public sealed class ModbusRegisterOutput : IRegisterOutput
{
    private readonly ModbusDataStore _store = new(coils: 16, discreteInputs: 16, holdingRegisters: 64, inputRegisters: 64);
    private readonly ModbusServer _server;
    private readonly PseudoTerminal? _line;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving = Task.CompletedTask;

    /// <summary>Serves <paramref name="endpoint"/> (tcp://IP:PORT or rtu:PATH), answering unit <paramref name="unitId"/>.</summary>
    public ModbusRegisterOutput(string endpoint, byte unitId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(endpoint);
        _server = new ModbusServer(unit => unit == unitId ? _store : null);
        if (endpoint.StartsWith("rtu:", StringComparison.Ordinal))
        {
            var path = Path.GetFullPath(endpoint.StartsWith("rtu://", StringComparison.Ordinal) ? endpoint["rtu://".Length..] : endpoint["rtu:".Length..]);
            _line = PseudoTerminal.Open(path);
            var stop = _stop.Token;
            _serving = Task.Run(() => _server.ServeRtuAsync(_line.Master, stop), CancellationToken.None);
            Endpoint = "rtu://" + path;
        }
        else
        {
            var bound = _server.StartTcp(ParseTcp(endpoint));
            Endpoint = string.Create(CultureInfo.InvariantCulture, $"tcp://{bound.Address}:{bound.Port}");
        }
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
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _serving.ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // The line closes as we stop.
        }

        await _server.DisposeAsync().ConfigureAwait(false);
        _line?.Dispose();
        _stop.Dispose();
    }

    /// <summary>Parses tcp://HOST:PORT (an IP address; simulators listen on loopback or a given interface).</summary>
    public static IPEndPoint ParseTcp(string endpoint)
    {
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme != "tcp" || uri.Port <= 0
            || !IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address))
        {
            throw new FormatException($"'{endpoint}' is not tcp://IP:PORT or rtu:PATH");
        }

        return new IPEndPoint(address, uri.Port);
    }
}
