using System.Globalization;
using System.Net;
using EquipmentIoT.IntegrationTests.Modbus;
using EquipmentIoT.Protocols.Modbus.Registers;
using EquipmentIoT.Protocols.Modbus.Server;
using EquipmentIoT.Simulators.Models;
using EquipmentIoT.Simulators.Outputs;

namespace EquipmentIoT.IntegrationTests.Probe;

/// <summary><c>eqiot agent probe modbus</c> against our ModbusServer and pymodbus, cross-checked with mbpoll.</summary>
public sealed class ModbusProbeTests
{
    [Fact]
    public async Task ProbeModbus_OurServer_PrintsWhatMbpollPrints()
    {
        var store = new ModbusDataStore();
        store.SetHoldingRegisters(0, 7200, 65535, 3);
        Span<ushort> words = stackalloc ushort[2];
        ModbusRegisterConverter.FromSingle(23.5f, words, ModbusWordOrder.Big);
        store.SetInputRegisters(10, words);
        store.SetCoils(0, true, false, true);
        await using var server = new ModbusServer(store);
        var port = server.StartTcp(new IPEndPoint(IPAddress.Loopback, 0)).Port.ToString(CultureInfo.InvariantCulture);
        var endpoint = $"tcp://127.0.0.1:{port}";

        // mbpoll's data lines ("[ref]: <TAB>value"), 0-based references (--address here, -0 there).
        await AssertSameAsync(["--address", "0", "-c", "3"], ["-t", "4", "-r", "0", "-c", "3"]);
        await AssertSameAsync(["-t", "4", "--address", "0", "-c", "3", "--type", "int16"], ["-t", "4:int16", "-r", "0", "-c", "3"], mbpollHasInt16: false);
        await AssertSameAsync(["-t", "3:float", "--address", "10", "-c", "1"], ["-t", "3:float", "-B", "-r", "10", "-c", "1"]);
        await AssertSameAsync(["-t", "0", "--address", "0", "-c", "3"], ["-t", "0", "-r", "0", "-c", "3"]);

        // 1-based -r prints 1-based references, like mbpoll without -0.
        var (exit, stdout, _) = await ProbeProcess.RunAsync("modbus", "--endpoint", endpoint, "-t", "4", "-r", "1", "-c", "1", "-1");
        Assert.Equal(0, exit);
        Assert.Contains("[1]: \t7200", stdout);

        async Task AssertSameAsync(string[] ours, string[] theirs, bool mbpollHasInt16 = true)
        {
            var probe = await ProbeProcess.RunAsync(["modbus", "--endpoint", endpoint, "-1", .. ours]);
            Assert.True(probe.Exit == 0, probe.Stderr);
            var ourLines = probe.Stdout.Where(l => l.StartsWith('[')).ToList();
            Assert.NotEmpty(ourLines);
            if (!mbpollHasInt16)
            {
                Assert.Equal(["[0]: \t7200", "[1]: \t-1", "[2]: \t3"], ourLines);
                return;
            }

            var mbpoll = await Mbpoll.RunAsync(["-m", "tcp", "-p", port, "-a", "1", .. theirs, "127.0.0.1"]);
            Assert.Equal(mbpoll.Where(l => l.StartsWith('[')), ourLines);
        }
    }

    [Fact]
    public async Task ProbeModbus_Pymodbus_SameValuesAsMbpoll()
    {
        await using var server = await PymodbusServer.StartAsync(rtuFraming: false);
        var port = server.Port.ToString(CultureInfo.InvariantCulture);
        foreach (var (table, address, count) in new[] { ("4", 10, 20), ("3", 80, 20), ("0", 0, 30), ("1", 3, 17) })
        {
            var a = address.ToString(CultureInfo.InvariantCulture);
            var c = count.ToString(CultureInfo.InvariantCulture);
            var probe = await ProbeProcess.RunAsync("modbus", "--endpoint", $"tcp://127.0.0.1:{port}", "-t", table, "--address", a, "-c", c, "-1");
            Assert.True(probe.Exit == 0, probe.Stderr);
            Assert.Equal(await Mbpoll.ReadTcpAsync(server.Port, table, address, count), Mbpoll.Values(probe.Stdout));
        }
    }

    [Fact]
    public async Task ProbeModbus_MrHeliumProfile_PrintsScaledValuesStateAndAlarms()
    {
        var snapshot = new MrSnapshot(HeliumLevelPercent: 72.0, HeliumPressurePsi: 3.85, Compressor: CompressorState.Running, ColdHeadKelvin: 4.21,
            ChillerWaterCelsius: 18.5, ChillerFlowLitresPerMinute: 22.4, RoomCelsius: -1.5, RoomHumidityPercent: 45.2,
            Alarms: MrAlarms.CompressorOff | MrAlarms.HeliumLow, CompressorHours: 18_250);
        var input = new ushort[RegisterMaps.MrInputRegisterCount];
        RegisterMaps.Write(snapshot, input);
        var store = new ModbusDataStore();
        store.SetInputRegisters(0, input);
        await using var server = new ModbusServer(store);
        var port = server.StartTcp(new IPEndPoint(IPAddress.Loopback, 0)).Port;

        var (exit, stdout, stderr) = await ProbeProcess.RunAsync("modbus", "--endpoint", $"tcp://127.0.0.1:{port}", "--profile", "mr-helium-monitor", "-1");
        Assert.True(exit == 0, stderr);
        Assert.Contains("helium_level (4:0) = 72 % (raw 7200)", stdout);
        Assert.Contains("helium_pressure (4:1) = 3.85 [psi] (raw 3850)", stdout);
        Assert.Contains("compressor (4:2) = 1 running", stdout);
        Assert.Contains("chiller_water_temperature (4:4) = 18.5 Cel", stdout);
        Assert.Contains("magnet_room_temperature (4:7) = -1.5 Cel (raw -150)", stdout);
        Assert.Contains(stdout, l => l.StartsWith("alarms (4:9) = 0x0005 COMPRESSOR_OFF (critical", StringComparison.Ordinal) && l.Contains("HELIUM_LOW (major", StringComparison.Ordinal));
        Assert.Contains("compressor_hours (4:10) = 18250 h", stdout);
    }

    [Fact]
    public async Task ProbeModbus_RtuOnPtyAndRtuOverTcp_ReadsUnit17()
    {
        var store = new ModbusDataStore();
        store.SetHoldingRegisters(4, 404, 405);
        await using var server = new ModbusServer(unit => unit == 17 ? store : null);
        using var pty = Protocols.Serial.PseudoTerminal.Open();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var serving = Task.Run(() => server.ServeRtuAsync(pty.Master, stop.Token));

        var rtu = await ProbeProcess.RunAsync("modbus", "--endpoint", $"rtu://{pty.SlavePath}", "--baud", "38400", "--parity", "even", "--unit", "17", "-r", "5", "-c", "2", "-1");
        Assert.True(rtu.Exit == 0, rtu.Stderr);
        Assert.Equal(["[5]: \t404", "[6]: \t405"], rtu.Stdout.Where(l => l.StartsWith('[')));

        var port = server.StartRtuOverTcp(new IPEndPoint(IPAddress.Loopback, 0)).Port;
        var gateway = await ProbeProcess.RunAsync("modbus", "--endpoint", $"rtu+tcp://127.0.0.1:{port}", "-a", "17", "--address", "4", "-c", "2", "-1");
        Assert.True(gateway.Exit == 0, gateway.Stderr);
        Assert.Equal(["[4]: \t404", "[5]: \t405"], gateway.Stdout.Where(l => l.StartsWith('[')));

        await stop.CancelAsync();
        await serving.WaitAsync(TimeSpan.FromSeconds(10)); // the serve loop ends quietly when stopped
    }

    [Fact]
    public async Task ProbeModbus_ExceptionResponse_Exits1WithOneLine()
    {
        await using var server = new ModbusServer(new ModbusDataStore(holdingRegisters: 16));
        var port = server.StartTcp(new IPEndPoint(IPAddress.Loopback, 0)).Port;
        var (exit, _, stderr) = await ProbeProcess.RunAsync("modbus", "--endpoint", $"tcp://127.0.0.1:{port}", "-r", "100", "-1");
        Assert.Equal(1, exit);
        Assert.Equal("Error: unit 1 answered exception 2 (ILLEGAL DATA ADDRESS) to function 3", stderr.Trim());
    }

    [Fact]
    public async Task ProbeModbus_NoAnswer_Exits1SayingTimeout()
    {
        await using var server = new ModbusServer(new ModbusDataStore()) { ResponseDelay = (_, _) => TimeSpan.FromSeconds(5) };
        var port = server.StartTcp(new IPEndPoint(IPAddress.Loopback, 0)).Port;
        var (exit, _, stderr) = await ProbeProcess.RunAsync("modbus", "--endpoint", $"tcp://127.0.0.1:{port}", "-o", "0.3", "-1");
        Assert.Equal(1, exit);
        Assert.Contains("no answer from unit 1", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("modbus", "-1")]
    [InlineData("modbus", "--endpoint", "udp://x:1", "-1")]
    [InlineData("modbus", "--endpoint", "tcp://127.0.0.1:1", "-t", "2")]
    [InlineData("modbus", "--endpoint", "tcp://127.0.0.1:1", "-c", "126")]
    [InlineData("modbus", "--endpoint", "tcp://127.0.0.1:1", "-t", "0", "--type", "float32")]
    [InlineData("modbus", "--endpoint", "tcp://127.0.0.1:1", "--profile", "ct-serial-mpps")]
    public async Task ProbeModbus_UsageError_Exits2(params string[] arguments)
    {
        var (exit, _, stderr) = await ProbeProcess.RunAsync(arguments);
        Assert.Equal(2, exit);
        Assert.StartsWith("Error: ", stderr, StringComparison.Ordinal);
    }
}
