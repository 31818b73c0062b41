using EquipmentIoT.Protocols.Modbus;
using EquipmentIoT.Protocols.Modbus.Client;
using EquipmentIoT.Protocols.Modbus.Pdu;

namespace EquipmentIoT.IntegrationTests.Modbus;

/// <summary>Our masters against Debian's pymodbus server: MBAP over TCP and RTU framing over TCP, all eight functions.</summary>
public sealed class ModbusPymodbusInteropTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task TcpMaster_AllFunctionCodes_SeededValuesAndWritesReadBack()
    {
        await using var server = await PymodbusServer.StartAsync(rtuFraming: false);
        await using var master = new ModbusTcpMaster("127.0.0.1", server.Port, new ModbusTcpMasterOptions { Timeout = TimeSpan.FromSeconds(3) });
        await AllFunctionCodesAsync(master);
    }

    [Fact]
    public async Task RtuMaster_RtuFramingOverTcp_AllFunctionCodesAndBroadcast()
    {
        await using var server = await PymodbusServer.StartAsync(rtuFraming: true);
        var client = new System.Net.Sockets.TcpClient { NoDelay = true };
        await client.ConnectAsync("127.0.0.1", server.Port);
        await using var master = new ModbusRtuMaster(client.GetStream(), new ModbusRtuMasterOptions { BaudRate = 115200, Timeout = TimeSpan.FromSeconds(3) });
        await AllFunctionCodesAsync(master);
        client.Dispose();
    }

    [Fact]
    public async Task TcpMaster_AddressPastTable_PymodbusIllegalDataAddress()
    {
        await using var server = await PymodbusServer.StartAsync(rtuFraming: false);
        await using var master = new ModbusTcpMaster("127.0.0.1", server.Port, new ModbusTcpMasterOptions { Timeout = TimeSpan.FromSeconds(3) });
        using var cts = new CancellationTokenSource(Bound);
        var e = await Assert.ThrowsAsync<ModbusExceptionResponseException>(() => master.ReadHoldingRegistersAsync(1, PymodbusServer.TableSize - 1, 2, cts.Token));
        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, e.Code);
        var w = await Assert.ThrowsAsync<ModbusExceptionResponseException>(() => master.WriteSingleCoilAsync(1, 500, true, cts.Token));
        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, w.Code);
        Assert.Equal(2, master.ExceptionResponses);
    }

    [Fact]
    public async Task RtuMaster_AddressPastTable_PymodbusIllegalDataAddress()
    {
        await using var server = await PymodbusServer.StartAsync(rtuFraming: true);
        using var client = new System.Net.Sockets.TcpClient { NoDelay = true };
        await client.ConnectAsync("127.0.0.1", server.Port);
        await using var master = new ModbusRtuMaster(client.GetStream(), new ModbusRtuMasterOptions { Timeout = TimeSpan.FromSeconds(3) });
        using var cts = new CancellationTokenSource(Bound);
        var e = await Assert.ThrowsAsync<ModbusExceptionResponseException>(() => master.ReadInputRegistersAsync(1, 150, 1, cts.Token));
        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, e.Code);
        Assert.Equal(new ushort[] { 1099 }, await master.ReadInputRegistersAsync(1, 99, 1, cts.Token));
    }

    private static async Task AllFunctionCodesAsync(ModbusMaster master)
    {
        using var cts = new CancellationTokenSource(Bound);
        var ct = cts.Token;
        // FC01..04: the seeded values.
        Assert.Equal(Enumerable.Range(0, 10).Select(i => i % 3 == 0), await master.ReadCoilsAsync(1, 0, 10, ct));
        Assert.Equal(Enumerable.Range(5, 11).Select(i => i % 2 == 0), await master.ReadDiscreteInputsAsync(1, 5, 11, ct));
        Assert.Equal(Enumerable.Range(0, 125 > PymodbusServer.TableSize ? PymodbusServer.TableSize : 125).Select(i => (ushort)(i * 10)),
            await master.ReadHoldingRegistersAsync(1, 0, PymodbusServer.TableSize, ct));
        Assert.Equal(new ushort[] { 1042, 1043 }, await master.ReadInputRegistersAsync(1, 42, 2, ct));
        // FC05, 06, 15, 16, read back.
        await master.WriteSingleCoilAsync(1, 1, true, ct);
        await master.WriteMultipleCoilsAsync(1, 20, [true, true, false, true, false, false, false, false, true], ct);
        Assert.Equal(new[] { true, true, false, true }, await master.ReadCoilsAsync(1, 0, 4, ct)); // 0 and 3 seeded, 1 written
        Assert.Equal(new[] { true, true, false, true, false, false, false, false, true }, await master.ReadCoilsAsync(1, 20, 9, ct));
        await master.WriteSingleRegisterAsync(1, 7, 0xCAFE, ct);
        await master.WriteMultipleRegistersAsync(1, 60, [1, 2, 3, 65535], ct);
        Assert.Equal(new ushort[] { 0xCAFE }, await master.ReadHoldingRegistersAsync(1, 7, 1, ct));
        Assert.Equal(new ushort[] { 590, 1, 2, 3, 65535, 640 }, await master.ReadHoldingRegistersAsync(1, 59, 6, ct));
        if (master is ModbusRtuMaster)
        {
            // A broadcast write is executed and not answered (pymodbus serves broadcasts only when asked to:
            // either way, no reply must come and the next request must work).
            Assert.Null(await master.SendAsync(0, ModbusRequest.WriteSingleRegister(90, 9), ct));
            Assert.Single(await master.ReadHoldingRegistersAsync(1, 90, 1, ct));
        }
    }
}
