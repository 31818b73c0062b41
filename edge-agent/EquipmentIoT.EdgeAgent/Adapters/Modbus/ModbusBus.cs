using System.Net.Sockets;
using EquipmentIoT.Protocols.Modbus.Client;

namespace EquipmentIoT.EdgeAgent.Adapters.Modbus;

/// <summary>
/// Makes the master of a bus. RTU on a serial line needs a serial port stream: until the termios port is
/// wired in, <see cref="ModbusTransportFactory"/> takes it as a delegate.
/// </summary>
public interface IModbusTransportFactory
{
    /// <summary>A master for <paramref name="endpoint"/>, configured from the first device's <paramref name="options"/>.</summary>
    ModbusMaster Create(ModbusEndpoint endpoint, ModbusDeviceOptions options, TimeProvider time);
}

/// <summary>
/// The default factory: Modbus TCP and RTU-over-TCP itself; serial RTU through <c>openSerial</c>, which opens
/// the port (baud rate, parity, data and stop bits from the options) and returns its stream.
/// </summary>
public sealed class ModbusTransportFactory(Func<ModbusEndpoint, ModbusDeviceOptions, CancellationToken, ValueTask<Stream>>? openSerial = null)
    : IModbusTransportFactory
{
    /// <inheritdoc/>
    public ModbusMaster Create(ModbusEndpoint endpoint, ModbusDeviceOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        ArgumentNullException.ThrowIfNull(options);
        // One request at a time: the adapter serialises devices on a bus anyway, and many gateways mishandle pipelining.
        var rtu = new ModbusRtuMasterOptions { BaudRate = options.BaudRate, Timeout = options.Timeout };
        return endpoint.Kind switch
        {
            ModbusTransportKind.Tcp => new ModbusTcpMaster(endpoint.Host, endpoint.Port, new ModbusTcpMasterOptions { Timeout = options.Timeout, MaxInFlight = 1 }, time),
            ModbusTransportKind.RtuOverTcp => new ModbusRtuMaster(ct => OpenTcpAsync(endpoint, ct), rtu, time),
            _ => openSerial is null
                ? throw new NotSupportedException($"{endpoint.Key}: no serial transport is plugged in (ModbusTransportFactory openSerial)")
                : new ModbusRtuMaster(ct => openSerial(endpoint, options, ct), rtu, time),
        };
    }

    private static async ValueTask<Stream> OpenTcpAsync(ModbusEndpoint endpoint, CancellationToken ct)
    {
        var client = new TcpClient { NoDelay = true };
        try
        {
            await client.ConnectAsync(endpoint.Host, endpoint.Port, ct).ConfigureAwait(false);
            return new NetworkStream(client.Client, ownsSocket: true);
        }
        catch (SocketException e)
        {
            client.Dispose();
            throw new IOException($"{endpoint.Key}: {e.Message}", e);
        }
    }
}

/// <summary>
/// One bus (a serial port, or a TCP gateway) and its master, shared by every device on it. Requests from the
/// devices are serialised here, one at a time, so a slow device delays the others by at most its timeout per
/// request (and its circuit breaker bounds how often that happens).
/// </summary>
public sealed class ModbusBus : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    internal ModbusBus(string key, ModbusMaster master)
    {
        Key = key;
        Master = master;
    }

    /// <summary>The endpoint key.</summary>
    public string Key { get; }

    /// <summary>The master.</summary>
    public ModbusMaster Master { get; }

    internal int Users { get; set; }

    /// <summary>Runs <paramref name="operation"/> with the bus to itself.</summary>
    public async Task<T> ExecuteAsync<T>(Func<ModbusMaster, CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await operation(Master, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Closes the master (the registry does this when the last device lets go).</summary>
    public async ValueTask DisposeAsync()
    {
        await Master.DisposeAsync().ConfigureAwait(false);
        _gate.Dispose();
    }
}

/// <summary>The buses of the agent, keyed by endpoint; a bus's master is made by the first device and closed with the last.</summary>
public sealed class ModbusBusRegistry(IModbusTransportFactory factory, TimeProvider time) : IAsyncDisposable
{
    private readonly Dictionary<string, ModbusBus> _buses = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>The bus for <paramref name="options"/>' endpoint, made on first use.</summary>
    public ModbusBus Acquire(ModbusDeviceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var endpoint = options.ParsedEndpoint();
        lock (_gate)
        {
            if (!_buses.TryGetValue(endpoint.Key, out var bus))
            {
                bus = new ModbusBus(endpoint.Key, factory.Create(endpoint, options, time));
                _buses[endpoint.Key] = bus;
            }

            bus.Users++;
            return bus;
        }
    }

    /// <summary>Gives <paramref name="bus"/> back; the last user closes it.</summary>
    public async ValueTask ReleaseAsync(ModbusBus bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        lock (_gate)
        {
            if (--bus.Users > 0) return;
            _buses.Remove(bus.Key);
        }

        await bus.DisposeAsync().ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        ModbusBus[] open;
        lock (_gate)
        {
            open = [.. _buses.Values];
            _buses.Clear();
        }

        foreach (var bus in open) await bus.DisposeAsync().ConfigureAwait(false);
    }
}
