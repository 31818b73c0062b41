using System.Buffers;
using EquipmentIoT.Protocols.Modbus;
using EquipmentIoT.Protocols.Modbus.Client;
using EquipmentIoT.Protocols.Modbus.Framing;
using EquipmentIoT.Protocols.Modbus.Pdu;
using EquipmentIoT.Protocols.Modbus.Server;
using EquipmentIoT.Testing;

namespace EquipmentIoT.Protocols.Tests.Modbus;

/// <summary>Our RTU master on a stream: against our server, and against a scripted slave that sends garbage and late replies.</summary>
public sealed class ModbusRtuMasterTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task AllFunctions_AgainstServerOverStream_WritesReadBack()
    {
        using var line = await LoopbackStreamPair.OpenAsync();
        var store = new ModbusDataStore();
        await using var server = new ModbusServer(unit => unit is 7 or 0 ? store : null);
        using var stop = new CancellationTokenSource(Bound);
        var serving = server.ServeRtuAsync(line.Slave, stop.Token);
        await using var master = new ModbusRtuMaster(line.Master, new ModbusRtuMasterOptions { BaudRate = 115200 });
        var ct = stop.Token;
        store.SetInputRegisters(0, 1, 2, 3);
        store.SetDiscreteInputs(0, true);

        Assert.Equal(new ushort[] { 1, 2, 3 }, await master.ReadInputRegistersAsync(7, 0, 3, ct));
        Assert.Equal(new[] { true, false }, await master.ReadDiscreteInputsAsync(7, 0, 2, ct));
        await master.WriteSingleRegisterAsync(7, 10, 77, ct);
        await master.WriteMultipleRegistersAsync(7, 11, [78, 79], ct);
        Assert.Equal(new ushort[] { 77, 78, 79 }, await master.ReadHoldingRegistersAsync(7, 10, 3, ct));
        await master.WriteSingleCoilAsync(7, 4, true, ct);
        await master.WriteMultipleCoilsAsync(7, 5, [true, false, true], ct);
        Assert.Equal(new[] { true, true, false, true }, await master.ReadCoilsAsync(7, 4, 4, ct));
        var e = await Assert.ThrowsAsync<ModbusExceptionResponseException>(() => master.ReadHoldingRegistersAsync(7, 1023, 2, ct));
        Assert.Equal(ModbusExceptionCode.IllegalDataAddress, e.Code);

        // Broadcast: executed, not answered (Serial Line §2.2).
        Assert.Null(await master.SendAsync(0, ModbusRequest.WriteSingleRegister(20, 5), ct));
        await Wait.UntilAsync(() => store.GetHoldingRegisters(20, 1)[0] == 5, Bound, "the broadcast write");
        Assert.Equal(new ushort[] { 5 }, await master.ReadHoldingRegistersAsync(7, 20, 1, ct));
        await stop.CancelAsync();
        await serving;
    }

    [Fact]
    public async Task DeadUnit_Timeout_ThenLiveUnitAnswers()
    {
        using var line = await LoopbackStreamPair.OpenAsync();
        var store = new ModbusDataStore();
        await using var server = new ModbusServer(unit => unit == 1 ? store : null);
        using var stop = new CancellationTokenSource(Bound);
        var serving = server.ServeRtuAsync(line.Slave, stop.Token);
        await using var master = new ModbusRtuMaster(line.Master, new ModbusRtuMasterOptions { Timeout = TimeSpan.FromMilliseconds(500) });

        var e = await Assert.ThrowsAsync<ModbusCommunicationException>(() => master.ReadCoilsAsync(2, 0, 1, stop.Token));
        Assert.True(e.IsTimeout);
        Assert.Single(await master.ReadCoilsAsync(1, 0, 1, stop.Token));
        await stop.CancelAsync();
        await serving;
    }

    [Fact]
    public async Task GarbageBeforeFrameAndBadCrcFrame_SkippedAndValidFrameTaken()
    {
        using var line = await LoopbackStreamPair.OpenAsync();
        using var stop = new CancellationTokenSource(Bound);
        // Noise, a copy of the right reply with a broken CRC, a reply from another unit, then the real reply.
        var reply = Adu(3, "0304002A0007");
        var broken = (byte[])reply.Clone();
        broken[^1] ^= 0xFF;
        var slave = Task.Run(async () =>
        {
            await ReadFrameAsync(line.Slave, stop.Token);
            byte[] noise = [0x00, 0xFF, 0x03, .. broken, .. Adu(4, "0304000100FF")];
            await line.Slave.WriteAsync(noise, stop.Token);
            // Noise that looks like the header of a 250-byte reply from unit 3, then silence, then the real reply.
            await line.Slave.WriteAsync(new byte[] { 0x03, 0x03, 0xFA, 0x01 }, stop.Token);
            await Task.Delay(TimeSpan.FromMilliseconds(100), stop.Token); // a gap on the line, not synchronisation
            await line.Slave.WriteAsync(reply, stop.Token);
        });
        await using var master = new ModbusRtuMaster(line.Master);

        Assert.Equal(new ushort[] { 42, 7 }, await master.ReadHoldingRegistersAsync(3, 0, 2, stop.Token));
        Assert.True(master.DiscardedBytes >= 3 + broken.Length + 4, $"{master.DiscardedBytes}");
        Assert.True(master.CrcErrors >= 1);
        await slave;
    }

    [Fact]
    public async Task LateReply_FlushedBeforeNextRequest_NextAnswerMatches()
    {
        using var line = await LoopbackStreamPair.OpenAsync();
        using var stop = new CancellationTokenSource(Bound);
        using var gate = new SemaphoreSlim(0);
        await using var master = new ModbusRtuMaster(line.Master, new ModbusRtuMasterOptions { Timeout = TimeSpan.FromMilliseconds(500) });
        var slave = Task.Run(async () =>
        {
            await ReadFrameAsync(line.Slave, stop.Token);
            await gate.WaitAsync(stop.Token); // answer the first request only after the master gave up on it
            await line.Slave.WriteAsync(Adu(1, "0302000B"), stop.Token);
            await ReadFrameAsync(line.Slave, stop.Token);
            await line.Slave.WriteAsync(Adu(1, "0302000C"), stop.Token);
        });

        await Assert.ThrowsAsync<ModbusCommunicationException>(() => master.ReadHoldingRegistersAsync(1, 0, 1, stop.Token));
        gate.Release();
        // RTU has no transaction ids: a late reply is recognised only by arriving between requests.
        await Wait.UntilAsync(() => master.IdleChunks > 0, Bound, "the late reply to reach the master");
        Assert.Equal(new ushort[] { 12 }, await master.ReadHoldingRegistersAsync(1, 0, 1, stop.Token));
        Assert.Equal(7, master.DiscardedBytes);
        await slave;
    }

    [Fact]
    public async Task LineClosed_CommunicationExceptionThenFactoryReopens()
    {
        var store = new ModbusDataStore();
        store.SetInputRegisters(0, 99);
        await using var server = new ModbusServer(store);
        var endpoint = server.StartRtuOverTcp(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        using var first = await LoopbackStreamPair.OpenAsync();
        var opens = 0;
        await using var master = new ModbusRtuMaster(async ct =>
        {
            if (Interlocked.Increment(ref opens) == 1) return first.Master;
            var client = new System.Net.Sockets.TcpClient { NoDelay = true };
            await client.ConnectAsync(endpoint, ct);
            return client.GetStream();
        }, new ModbusRtuMasterOptions { Timeout = TimeSpan.FromSeconds(2) });
        using var stop = new CancellationTokenSource(Bound);

        first.Slave.Close(); // the line goes away under the first request
        await Assert.ThrowsAsync<ModbusCommunicationException>(() => master.ReadInputRegistersAsync(1, 0, 1, stop.Token));
        Assert.Equal(new ushort[] { 99 }, await master.ReadInputRegistersAsync(1, 0, 1, stop.Token));
        Assert.Equal(2, opens);
    }

    private static byte[] Adu(byte address, string pduHex)
    {
        var writer = new ArrayBufferWriter<byte>();
        ModbusRtuFraming.Encode(address, Convert.FromHexString(pduHex), writer);
        return writer.WrittenSpan.ToArray();
    }

    private static async Task<ModbusRtuFrame> ReadFrameAsync(Stream line, CancellationToken ct)
    {
        var buffer = new byte[ModbusLimits.MaxRtuAduLength];
        var count = 0;
        while (true)
        {
            var sequence = new ReadOnlySequence<byte>(buffer, 0, count);
            if (count > 0 && ModbusRtuFraming.TryDecode(ref sequence, ModbusFrameDirection.Request, out var frame)) return frame!;
            var n = await line.ReadAsync(buffer.AsMemory(count), ct);
            if (n == 0) throw new EndOfStreamException();
            count += n;
        }
    }
}
