using EquipmentIoT.Protocols.Modbus.Client;
using EquipmentIoT.Protocols.Modbus.Server;
using EquipmentIoT.Testing;

namespace EquipmentIoT.IntegrationTests.Modbus;

/// <summary>
/// RTU on a real (pseudo) serial line: socat links two ptys; mbpoll (which speaks RTU only on serial devices)
/// masters one end, our server serves the other.
/// </summary>
public sealed class ModbusRtuPtyTests
{
    [Fact]
    public async Task Mbpoll_RtuOverSocatPty_ReadsAndWritesOurServer()
    {
        var socat = ExternalTool.Require("socat", "socat");
        var directory = Directory.CreateTempSubdirectory("eqiot-modbus-pty-").FullName;
        var slaveEnd = Path.Combine(directory, "slave");
        var masterEnd = Path.Combine(directory, "master");
        await using (var link = ChildProcess.Start(socat, ["-d", $"pty,raw,echo=0,link={slaveEnd}", $"pty,raw,echo=0,link={masterEnd}"]))
        {
            await Wait.UntilAsync(() => File.Exists(slaveEnd) && File.Exists(masterEnd), TimeSpan.FromSeconds(10), "socat's ptys");
            var store = new ModbusDataStore();
            store.SetHoldingRegisters(0, 101, 202, 303);
            store.SetInputRegisters(3, 7);
            await using var server = new ModbusServer(unit => unit == 17 ? store : null);
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var line = new FileStream(slaveEnd, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, bufferSize: 0);
            var serving = Task.Run(() => server.ServeRtuAsync(line, stop.Token));

            string[] rtu = ["-m", "rtu", "-b", "19200", "-P", "even", "-a", "17", "-o", "2"];
            Assert.Equal(new long[] { 101, 202, 303 }, Mbpoll.Values(await Mbpoll.RunAsync([.. rtu, "-t", "4", "-r", "0", "-c", "3", masterEnd])));
            Assert.Equal(new long[] { 7 }, Mbpoll.Values(await Mbpoll.RunAsync([.. rtu, "-t", "3", "-r", "3", "-c", "1", masterEnd])));
            await Mbpoll.RunAsync([.. rtu, "-t", "4", "-r", "10", masterEnd, "55", "66"]);
            Assert.Equal(new ushort[] { 55, 66 }, store.GetHoldingRegisters(10, 2));

            // The pty end is closed by killing socat: the blocking read returns and the server's loop ends.
            link.Kill(Signal.Kill);
            await link.WaitForExitAsync(TimeSpan.FromSeconds(10));
            await stop.CancelAsync();
            await serving.WaitAsync(TimeSpan.FromSeconds(10));
            await line.DisposeAsync();
        }

        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task RtuMaster_OverSocatPty_AgainstOurServer()
    {
        var socat = ExternalTool.Require("socat", "socat");
        var directory = Directory.CreateTempSubdirectory("eqiot-modbus-pty-").FullName;
        var slaveEnd = Path.Combine(directory, "slave");
        var masterEnd = Path.Combine(directory, "master");
        await using (var link = ChildProcess.Start(socat, ["-d", $"pty,raw,echo=0,link={slaveEnd}", $"pty,raw,echo=0,link={masterEnd}"]))
        {
            await Wait.UntilAsync(() => File.Exists(slaveEnd) && File.Exists(masterEnd), TimeSpan.FromSeconds(10), "socat's ptys");
            var store = new ModbusDataStore();
            store.SetInputRegisters(0, 1, 2, 3, 4);
            await using var server = new ModbusServer(unit => unit == 5 ? store : null);
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var slaveLine = new FileStream(slaveEnd, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, bufferSize: 0);
            var serving = Task.Run(() => server.ServeRtuAsync(slaveLine, stop.Token));
            var masterLine = new FileStream(masterEnd, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, bufferSize: 0);
            var master = new ModbusRtuMaster(masterLine, new ModbusRtuMasterOptions { BaudRate = 19200, Timeout = TimeSpan.FromSeconds(2) });

            Assert.Equal(new ushort[] { 1, 2, 3, 4 }, await master.ReadInputRegistersAsync(5, 0, 4, stop.Token));
            await master.WriteMultipleRegistersAsync(5, 0, [9, 8], stop.Token);
            Assert.Equal(new ushort[] { 9, 8 }, await master.ReadHoldingRegistersAsync(5, 0, 2, stop.Token));

            link.Kill(Signal.Kill);
            await link.WaitForExitAsync(TimeSpan.FromSeconds(10));
            await stop.CancelAsync();
            await master.DisposeAsync();
            await serving.WaitAsync(TimeSpan.FromSeconds(10));
            await slaveLine.DisposeAsync();
        }

        Directory.Delete(directory, recursive: true);
    }
}
