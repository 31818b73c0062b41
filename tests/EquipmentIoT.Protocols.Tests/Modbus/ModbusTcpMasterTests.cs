using System.Net;
using EquipmentIoT.Protocols.Modbus;
using EquipmentIoT.Protocols.Modbus.Client;
using EquipmentIoT.Protocols.Modbus.Server;
using EquipmentIoT.Testing;

namespace EquipmentIoT.Protocols.Tests.Modbus;

/// <summary>Our TCP master against our server on a loopback port: every function, pipelining, timeouts and late answers, reconnects.</summary>
#pragma warning disable CA1001 // xunit disposes the server through IAsyncLifetime.DisposeAsync.
public sealed class ModbusTcpMasterTests : IAsyncLifetime
#pragma warning restore CA1001
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private readonly ModbusDataStore _store = new(coils: 100, discreteInputs: 100, holdingRegisters: 100, inputRegisters: 100);
    private ModbusServer _server = null!;
    private IPEndPoint _endpoint = null!;

    public Task InitializeAsync()
    {
        _server = new ModbusServer(_store);
        _endpoint = _server.StartTcp(new IPEndPoint(IPAddress.Loopback, 0));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task AllFunctions_AgainstServer_WritesReadBack()
    {
        await using var master = new ModbusTcpMaster("127.0.0.1", _endpoint.Port);
        using var cts = new CancellationTokenSource(Bound);
        var ct = cts.Token;
        _store.SetInputRegisters(10, 111, 222);
        _store.SetDiscreteInputs(3, true, false, true);

        Assert.Equal(new ushort[] { 111, 222 }, await master.ReadInputRegistersAsync(1, 10, 2, ct));
        Assert.Equal(new[] { true, false, true }, await master.ReadDiscreteInputsAsync(1, 3, 3, ct));
        await master.WriteSingleRegisterAsync(1, 5, 0xBEEF, ct);
        await master.WriteMultipleRegistersAsync(1, 6, [1, 2, 3], ct);
        Assert.Equal(new ushort[] { 0xBEEF, 1, 2, 3 }, await master.ReadHoldingRegistersAsync(1, 5, 4, ct));
        await master.WriteSingleCoilAsync(1, 0, true, ct);
        await master.WriteMultipleCoilsAsync(1, 1, [false, true, true, false, true, false, false, true, true], ct);
        Assert.Equal(new[] { true, false, true, true, false, true, false, false, true, true }, await master.ReadCoilsAsync(1, 0, 10, ct));
        Assert.Equal(new ushort[] { 0xBEEF, 1, 2, 3 }, _store.GetHoldingRegisters(5, 4));
    }

    [Fact]
    public async Task Read_PastTable_TypedExceptionResponseWithCode()
    {
        await using var master = new ModbusTcpMaster("127.0.0.1", _endpoint.Port);
        var e = await Assert.ThrowsAsync<ModbusExceptionResponseException>(() => master.ReadHoldingRegistersAsync(1, 99, 2, CancellationToken.None));
        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, e.Code);
        Assert.Equal(ModbusFunctionCode.ReadHoldingRegisters, e.Function);
        Assert.Equal(1, master.ExceptionResponses);
    }

    [Theory]
    [InlineData("030000007E", ModbusExceptionCode.IllegalDataValue)]
    [InlineData("2B0E0100", ModbusExceptionCode.IllegalFunction)]
    [InlineData("0300630002", ModbusExceptionCode.IllegalDataAddress)]
    public void Handle_BadRequests_SpecExceptionCodes(string hex, ModbusExceptionCode code) =>
        Assert.Equal(code, ModbusRequestHandler.Handle(Convert.FromHexString(hex), _store).ExceptionCode);

    [Fact]
    public async Task Pipelined_ManyConcurrentRequests_EachGetsItsOwnAnswer()
    {
        for (ushort i = 0; i < 100; i++) _store.SetHoldingRegisters(i, (ushort)(i * 3));
        // A generous per-request timeout: this is about pipelining, and under a busy CI machine 200 queued requests can take
        // longer than the default second each (seen once).
        await using var master = new ModbusTcpMaster("127.0.0.1", _endpoint.Port, new ModbusTcpMasterOptions { MaxInFlight = 8, Timeout = TimeSpan.FromSeconds(10) });
        using var cts = new CancellationTokenSource(Bound);
        var reads = Enumerable.Range(0, 200).Select(async i =>
        {
            var address = (ushort)(i % 100);
            var value = await master.ReadHoldingRegistersAsync(1, address, 1, cts.Token);
            return value[0] == address * 3;
        });
        Assert.All(await Task.WhenAll(reads), Assert.True);
        Assert.Equal(1, master.Connects);
    }

    [Fact]
    public async Task LateAnswer_TimesOutThenStaleDiscardedAndNextSucceeds()
    {
        var slowOnce = 1;
        _server.ResponseDelay = (_, _) => Interlocked.Exchange(ref slowOnce, 0) == 1 ? TimeSpan.FromMilliseconds(1500) : TimeSpan.Zero;
        _store.SetInputRegisters(0, 42);
        await using var master = new ModbusTcpMaster("127.0.0.1", _endpoint.Port, new ModbusTcpMasterOptions { Timeout = TimeSpan.FromMilliseconds(500) });

        var timeout = await Assert.ThrowsAsync<ModbusCommunicationException>(() => master.ReadInputRegistersAsync(1, 0, 1, CancellationToken.None));
        Assert.True(timeout.IsTimeout);
        await Wait.UntilAsync(() => master.StaleResponses == 1, Bound, "the late answer to arrive and be discarded");
        Assert.Equal(new ushort[] { 42 }, await master.ReadInputRegistersAsync(1, 0, 1, CancellationToken.None));
        Assert.Equal(1, master.Timeouts);
        Assert.Equal(1, master.Connects);
    }

    [Fact]
    public async Task ServerRestart_PendingFailsTransientThenReconnects()
    {
        await using var master = new ModbusTcpMaster("127.0.0.1", _endpoint.Port, new ModbusTcpMasterOptions { Timeout = TimeSpan.FromSeconds(2) });
        await master.ReadCoilsAsync(1, 0, 1, CancellationToken.None);
        await _server.DisposeAsync();
        _server = new ModbusServer(_store);
        _server.StartTcp(_endpoint);

        await Wait.UntilAsync(async ct =>
        {
            try
            {
                await master.ReadCoilsAsync(1, 0, 1, ct);
                return true;
            }
            catch (ModbusCommunicationException)
            {
                return false;
            }
        }, Bound, "the master to reconnect");
        Assert.Equal(2, master.Connects);
    }

    [Fact]
    public async Task UnknownUnit_NoAnswer_TimeoutIsCommunicationException()
    {
        await using var server = new ModbusServer(unit => unit == 1 ? _store : null);
        var endpoint = server.StartTcp(new IPEndPoint(IPAddress.Loopback, 0));
        await using var master = new ModbusTcpMaster("127.0.0.1", endpoint.Port, new ModbusTcpMasterOptions { Timeout = TimeSpan.FromMilliseconds(500) });
        var e = await Assert.ThrowsAsync<ModbusCommunicationException>(() => master.ReadCoilsAsync(2, 0, 1, CancellationToken.None));
        Assert.True(e.IsTimeout);
        Assert.Single(await master.ReadCoilsAsync(1, 0, 1, CancellationToken.None));
    }

    [Fact]
    public async Task NothingListening_ConnectFails_CommunicationException()
    {
        await using var master = new ModbusTcpMaster("127.0.0.1", FreePort.Next());
        await Assert.ThrowsAsync<ModbusCommunicationException>(() => master.ReadCoilsAsync(1, 0, 1, CancellationToken.None));
    }
}
