using System.Net;
using EquipmentIoT.Protocols.Modbus.Client;
using EquipmentIoT.Protocols.Modbus.Server;

namespace EquipmentIoT.IntegrationTests.Modbus;

/// <summary>
/// Cross-checks with Debian's mbpoll: mbpoll as the master against our server, and mbpoll and our master
/// reading the same pymodbus registers.
/// </summary>
public sealed class ModbusMbpollInteropTests
{
    [Fact]
    public async Task Mbpoll_AgainstOurTcpServer_ReadsTablesAndWritesLand()
    {
        var store = new ModbusDataStore();
        store.SetHoldingRegisters(0, 11, 22, 33);
        store.SetInputRegisters(5, 500, 501);
        store.SetDiscreteInputs(2, true, false, true);
        store.SetCoils(0, true);
        await using var server = new ModbusServer(store);
        var port = server.StartTcp(new IPEndPoint(IPAddress.Loopback, 0)).Port;

        Assert.Equal(new long[] { 11, 22, 33 }, await Mbpoll.ReadTcpAsync(port, "4", 0, 3));
        Assert.Equal(new long[] { 500, 501 }, await Mbpoll.ReadTcpAsync(port, "3", 5, 2));
        Assert.Equal(new long[] { 1, 0, 1 }, await Mbpoll.ReadTcpAsync(port, "1", 2, 3));
        Assert.Equal(new long[] { 1, 0 }, await Mbpoll.ReadTcpAsync(port, "0", 0, 2));

        // Writes: one value is FC06/FC05, several FC16/FC15.
        await Mbpoll.RunAsync(["-m", "tcp", "-p", $"{port}", "-a", "1", "-t", "4", "-r", "20", "127.0.0.1", "4321"]);
        await Mbpoll.RunAsync(["-m", "tcp", "-p", $"{port}", "-a", "1", "-t", "4", "-r", "30", "127.0.0.1", "7", "8", "9"]);
        await Mbpoll.RunAsync(["-m", "tcp", "-p", $"{port}", "-a", "1", "-t", "0", "-r", "40", "127.0.0.1", "1", "0", "1"]);
        Assert.Equal(new ushort[] { 4321 }, store.GetHoldingRegisters(20, 1));
        Assert.Equal(new ushort[] { 7, 8, 9 }, store.GetHoldingRegisters(30, 3));
        Assert.Equal(new[] { true, false, true }, store.GetCoils(40, 3));
    }

    [Fact]
    public async Task MbpollAndOurMaster_SamePymodbusRegisters_SameValues()
    {
        await using var server = await PymodbusServer.StartAsync(rtuFraming: false);
        await using var master = new ModbusTcpMaster("127.0.0.1", server.Port, new ModbusTcpMasterOptions { Timeout = TimeSpan.FromSeconds(3) });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var ours = (await master.ReadHoldingRegistersAsync(1, 10, 20, cts.Token)).Select(v => (long)v);
        Assert.Equal(ours, await Mbpoll.ReadTcpAsync(server.Port, "4", 10, 20));
        var inputs = (await master.ReadInputRegistersAsync(1, 80, 20, cts.Token)).Select(v => (long)v);
        Assert.Equal(inputs, await Mbpoll.ReadTcpAsync(server.Port, "3", 80, 20));
        var coils = (await master.ReadCoilsAsync(1, 0, 30, cts.Token)).Select(b => b ? 1L : 0L);
        Assert.Equal(coils, await Mbpoll.ReadTcpAsync(server.Port, "0", 0, 30));
        var discrete = (await master.ReadDiscreteInputsAsync(1, 3, 17, cts.Token)).Select(b => b ? 1L : 0L);
        Assert.Equal(discrete, await Mbpoll.ReadTcpAsync(server.Port, "1", 3, 17));
    }
}
