using System.Net.Sockets;
using EquipmentIoT.Testing;

namespace EquipmentIoT.IntegrationTests.Modbus;

/// <summary>
/// Debian's pymodbus (3.0 API, package python3-pymodbus) as a Modbus server on a free loopback port, speaking
/// MBAP or RTU framing over TCP, unit 1, with seeded tables (0-based, zero_mode): coil i = (i % 3 == 0),
/// discrete input i = (i % 2 == 0), holding register i = 10·i, input register i = 1000 + i, 100 of each.
/// Or as RTU slaves 1 and 2 on a serial device (pyserial, package python3-serial): unit 2's holding register i
/// is 20000 + i, the rest as unit 1.
/// </summary>
internal sealed class PymodbusServer : IAsyncDisposable
{
    public const int TableSize = 100;

    private const string Script = """
        import sys
        from pymodbus.server import StartTcpServer, StartSerialServer
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
        if sys.argv[2] == "serial":
            store2 = ModbusSlaveContext(
                co=ModbusSequentialDataBlock(0, [False] * n), di=ModbusSequentialDataBlock(0, [False] * n),
                hr=ModbusSequentialDataBlock(0, [20000 + i for i in range(n)]), ir=ModbusSequentialDataBlock(0, [0] * n),
                zero_mode=True)
            StartSerialServer(context=ModbusServerContext(slaves={1: store, 2: store2}, single=False), framer=ModbusRtuFramer,
                port=sys.argv[3], baudrate=19200, parity="N", bytesize=8, stopbits=2, timeout=0.005)
        else:
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

    /// <summary>RTU slaves 1 and 2 on <paramref name="device"/> at 19200 8N2 (a pty refuses parity); ready once a read through <paramref name="ready"/> succeeds.</summary>
    public static async Task<PymodbusServer> StartSerialAsync(string device, Func<CancellationToken, Task<bool>> ready)
    {
        var python = RequirePymodbus();
        using (var check = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(python, ["-c", "import serial"]) { RedirectStandardError = true })!)
        {
            if (!check.WaitForExit(TimeSpan.FromSeconds(30)) || check.ExitCode != 0)
                throw new InvalidOperationException($"'{python}' cannot import serial: install the Debian package 'python3-serial' (./eqiot test installs it)");
        }

        var directory = Directory.CreateTempSubdirectory("eqiot-pymodbus-").FullName;
        var script = Path.Combine(directory, "server.py");
        await File.WriteAllTextAsync(script, Script);
        var process = ChildProcess.Start(python, [script, "0", "serial", device], directory);
        var server = new PymodbusServer(process, directory, 0);
        try
        {
            await Wait.UntilAsync(async ct =>
            {
                if (process.HasExited) throw new InvalidOperationException($"pymodbus exited: {process.StderrTail()}");
                return await ready(ct);
            }, TimeSpan.FromSeconds(30), "pymodbus to answer on the serial line");
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
