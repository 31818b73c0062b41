using System.Globalization;
using System.Net.Sockets;
using EquipmentIoT.Testing;

namespace EquipmentIoT.Bench.Modbus;

/// <summary>
/// Debian's pymodbus (python3-pymodbus, 3.0 API) as a Modbus TCP server on a free loopback port, unit 1,
/// 125 holding registers (0-based, zero_mode) holding their own address.
/// </summary>
internal sealed class PymodbusProcess : IAsyncDisposable
{
    private const string Script = """
        import sys
        from pymodbus.server import StartTcpServer
        from pymodbus.datastore import ModbusSequentialDataBlock, ModbusSlaveContext, ModbusServerContext
        store = ModbusSlaveContext(hr=ModbusSequentialDataBlock(0, list(range(125))), zero_mode=True)
        StartTcpServer(context=ModbusServerContext(slaves={1: store}, single=False), address=("127.0.0.1", int(sys.argv[1])))
        """;

    private readonly ChildProcess _process;
    private readonly string _directory;

    private PymodbusProcess(ChildProcess process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The server's process id, for its CPU time.</summary>
    public int ProcessId => _process.Id;

    public static async Task<PymodbusProcess> StartAsync(CancellationToken cancellationToken)
    {
        var python = ExternalTool.Require("/usr/bin/python3", "python3-pymodbus");
        var directory = Directory.CreateTempSubdirectory("eqiot-bench-pymodbus-").FullName;
        var script = Path.Combine(directory, "server.py");
        await File.WriteAllTextAsync(script, Script, cancellationToken).ConfigureAwait(false);
        var port = FreePort.Next();
        var server = new PymodbusProcess(ChildProcess.Start(python, [script, port.ToString(CultureInfo.InvariantCulture)], directory), directory, port);
        try
        {
            await Wait.UntilAsync(async ct =>
            {
                if (server._process.HasExited) throw new InvalidOperationException($"pymodbus exited (is python3-pymodbus installed?): {server._process.StderrTail()}");
                using var probe = new TcpClient();
                try
                {
                    await probe.ConnectAsync("127.0.0.1", port, ct).ConfigureAwait(false);
                    return true;
                }
                catch (SocketException)
                {
                    return false;
                }
            }, TimeSpan.FromSeconds(30), "pymodbus to listen", cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync().ConfigureAwait(false);
        Directory.Delete(_directory, recursive: true);
    }
}
