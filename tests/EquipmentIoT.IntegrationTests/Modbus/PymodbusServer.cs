using System.Net.Sockets;
using EquipmentIoT.Testing;

namespace EquipmentIoT.IntegrationTests.Modbus;

/// <summary>
/// Debian's pymodbus (3.0 API, package python3-pymodbus) as a Modbus server on a free loopback port, speaking
/// MBAP or RTU framing over TCP, unit 1, with seeded tables (0-based, zero_mode): coil i = (i % 3 == 0),
/// discrete input i = (i % 2 == 0), holding register i = 10·i, input register i = 1000 + i, 100 of each.
/// </summary>
internal sealed class PymodbusServer : IAsyncDisposable
{
    public const int TableSize = 100;

    private const string Script = """
        import sys
        from pymodbus.server import StartTcpServer
        from pymodbus.datastore import ModbusSequentialDataBlock, ModbusSlaveContext, ModbusServerContext
        from pymodbus.transaction import ModbusRtuFramer, ModbusSocketFramer
        port = int(sys.argv[1])
        framer = ModbusRtuFramer if sys.argv[2] == "rtu" else ModbusSocketFramer
        n = 100
        store = ModbusSlaveContext(
            co=ModbusSequentialDataBlock(0, [i % 3 == 0 for i in range(n)]),
            di=ModbusSequentialDataBlock(0, [i % 2 == 0 for i in range(n)]),
            hr=ModbusSequentialDataBlock(0, [i * 10 for i in range(n)]),
            ir=ModbusSequentialDataBlock(0, [1000 + i for i in range(n)]),
            zero_mode=True)
        StartTcpServer(context=ModbusServerContext(slaves={1: store}, single=False), address=("127.0.0.1", port), framer=framer)
        """;

    private readonly ChildProcess _process;
    private readonly string _directory;

    private PymodbusServer(ChildProcess process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    public int Port { get; }

    public static async Task<PymodbusServer> StartAsync(bool rtuFraming)
    {
        var python = RequirePymodbus();
        var directory = Directory.CreateTempSubdirectory("eqiot-pymodbus-").FullName;
        var script = Path.Combine(directory, "server.py");
        await File.WriteAllTextAsync(script, Script);
        var port = FreePort.Next();
        var process = ChildProcess.Start(python, [script, port.ToString(System.Globalization.CultureInfo.InvariantCulture), rtuFraming ? "rtu" : "tcp"], directory);
        var server = new PymodbusServer(process, directory, port);
        try
        {
            await Wait.UntilAsync(async ct =>
            {
                if (process.HasExited) throw new InvalidOperationException($"pymodbus exited: {process.StderrTail()}");
                using var probe = new TcpClient();
                try
                {
                    await probe.ConnectAsync("127.0.0.1", port, ct);
                    return true;
                }
                catch (SocketException)
                {
                    return false;
                }
            }, TimeSpan.FromSeconds(30), "pymodbus to listen");
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private static string RequirePymodbus()
    {
        const string package = "python3-pymodbus";
        var python = ExternalTool.Require("/usr/bin/python3", package);
        using var check = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(python, ["-c", "import pymodbus.server"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        var stderr = check.StandardError.ReadToEndAsync();
        if (!check.WaitForExit(TimeSpan.FromSeconds(30)) || check.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{python}' cannot import pymodbus: install the Debian package '{package}' (./eqiot test installs it). {stderr.Result}");
        }

        return python;
    }
}
