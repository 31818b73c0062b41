using EquipmentIoT.IntegrationTests.Serial;
using EquipmentIoT.Protocols.Modbus.Client;
using EquipmentIoT.Protocols.Modbus.Server;
using EquipmentIoT.Protocols.Serial;

namespace EquipmentIoT.IntegrationTests.Modbus;

/// <summary>
/// RTU on a real (pseudo) serial line: socat links two ptys; our server serves one end through our termios port,
/// and mbpoll (which speaks RTU only on serial devices) or our RTU master masters the other.
/// </summary>
public sealed class ModbusRtuPtyTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Mbpoll_RtuOverSocatPty_ReadsAndWritesOurServer()
    {
        await using var pair = await SocatPtyPair.StartAsync();
        var store = new ModbusDataStore();
        store.SetHoldingRegisters(0, 101, 202, 303);
        store.SetInputRegisters(3, 7);
        await using var server = new ModbusServer(unit => unit == 17 ? store : null);
        using var stop = new CancellationTokenSource(Bound);
        await using var line = SerialPort.Open(new SerialPortSettings(pair.PathA, 19200));
        var serving = server.ServeRtuAsync(line, stop.Token);

        string[] rtu = ["-m", "rtu", "-b", "19200", "-P", "even", "-a", "17", "-o", "2"];
        Assert.Equal(new long[] { 101, 202, 303 }, Mbpoll.Values(await Mbpoll.RunAsync([.. rtu, "-t", "4", "-r", "0", "-c", "3", pair.PathB])));
        Assert.Equal(new long[] { 7 }, Mbpoll.Values(await Mbpoll.RunAsync([.. rtu, "-t", "3", "-r", "3", "-c", "1", pair.PathB])));
        await Mbpoll.RunAsync([.. rtu, "-t", "4", "-r", "10", pair.PathB, "55", "66"]);
        Assert.Equal(new ushort[] { 55, 66 }, store.GetHoldingRegisters(10, 2));

        await stop.CancelAsync();
        await StopsAsync(serving);
    }

    [Fact]
    public async Task RtuMaster_OverSocatPty_AgainstOurServer()
    {
        await using var pair = await SocatPtyPair.StartAsync();
        var store = new ModbusDataStore();
        store.SetInputRegisters(0, 1, 2, 3, 4);
        await using var server = new ModbusServer(unit => unit == 5 ? store : null);
        using var stop = new CancellationTokenSource(Bound);
        await using var slaveLine = SerialPort.Open(new SerialPortSettings(pair.PathA, 19200));
        var serving = server.ServeRtuAsync(slaveLine, stop.Token);
        await using var master = new ModbusRtuMaster(SerialPort.Open(new SerialPortSettings(pair.PathB, 19200)),
            new ModbusRtuMasterOptions { BaudRate = 19200, Timeout = TimeSpan.FromSeconds(2) });

        Assert.Equal(new ushort[] { 1, 2, 3, 4 }, await master.ReadInputRegistersAsync(5, 0, 4, stop.Token));
        await master.WriteMultipleRegistersAsync(5, 0, [9, 8], stop.Token);
        Assert.Equal(new ushort[] { 9, 8 }, await master.ReadHoldingRegistersAsync(5, 0, 2, stop.Token));

        await stop.CancelAsync();
        await StopsAsync(serving);
    }

    // The server's loop ends when cancelled (returning or throwing OperationCanceledException), within a bound.
    private static async Task StopsAsync(Task serving)
    {
        try
        {
            await serving.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (OperationCanceledException)
        {
        }
    }
}
