using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using EquipmentIoT.Protocols.Modbus;
using EquipmentIoT.Protocols.Modbus.Client;
using EquipmentIoT.Protocols.Modbus.Framing;
using EquipmentIoT.Testing;

namespace EquipmentIoT.IntegrationTests.Modbus;

/// <summary>
/// A small hand-written TCP slave that breaks the rules: answers late (after the master's timeout), sends answers
/// for transaction ids nobody asked for, and finally a broken MBAP header. The master must time out, discard and
/// count the stale answers, match the right one, and drop and re-open the connection on the broken header.
/// </summary>
public sealed class ModbusMisbehavingServerTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task LateAndUnknownAnswers_TimeoutThenStaleDiscardedThenResynchronised()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var stop = new CancellationTokenSource(Bound);
        var answerLate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slave = Task.Run(async () =>
        {
            using var socket = await listener.AcceptSocketAsync(stop.Token);
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            var first = await ReadAduAsync(stream, stop.Token);
            await answerLate.Task.WaitAsync(stop.Token); // the master has given up on the first request
            await stream.WriteAsync(Answer(first.Tid, 111), stop.Token);
            var second = await ReadAduAsync(stream, stop.Token);
            await stream.WriteAsync(Answer(unchecked((ushort)(second.Tid + 1000)), 999), stop.Token); // nobody asked
            await stream.WriteAsync(Answer(second.Tid, 222), stop.Token);
            var third = await ReadAduAsync(stream, stop.Token);
            await stream.WriteAsync(Convert.FromHexString("00000007000501"), stop.Token); // protocol id 7: broken
            using var again = await listener.AcceptSocketAsync(stop.Token);
            await using var fresh = new NetworkStream(again, ownsSocket: false);
            var fourth = await ReadAduAsync(fresh, stop.Token);
            await fresh.WriteAsync(Answer(fourth.Tid, 444), stop.Token);
            _ = third;
        });
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        await using var master = new ModbusTcpMaster("127.0.0.1", port, new ModbusTcpMasterOptions { Timeout = TimeSpan.FromMilliseconds(200) });

        var timeout = await Assert.ThrowsAsync<ModbusCommunicationException>(() => master.ReadHoldingRegistersAsync(1, 0, 1, stop.Token));
        Assert.True(timeout.IsTimeout);
        answerLate.SetResult();
        await Wait.UntilAsync(() => master.StaleResponses == 1, Bound, "the late answer to be discarded");
        Assert.Equal(new ushort[] { 222 }, await master.ReadHoldingRegistersAsync(1, 0, 1, stop.Token));
        Assert.Equal(2, master.StaleResponses);
        await Assert.ThrowsAsync<ModbusProtocolException>(() => master.ReadHoldingRegistersAsync(1, 0, 1, stop.Token));
        Assert.Equal(new ushort[] { 444 }, await master.ReadHoldingRegistersAsync(1, 0, 1, stop.Token));
        Assert.Equal(2, master.Connects);
        await slave;
    }

    private static byte[] Answer(ushort tid, ushort value)
    {
        var writer = new ArrayBufferWriter<byte>();
        var pdu = new byte[] { 0x03, 0x02, (byte)(value >> 8), (byte)(value & 0xFF) };
        ModbusTcpFraming.Encode(tid, 1, pdu, writer);
        return writer.WrittenSpan.ToArray();
    }

    private static async Task<(ushort Tid, byte[] Pdu)> ReadAduAsync(Stream stream, CancellationToken ct)
    {
        var header = new byte[ModbusLimits.MbapHeaderLength];
        await stream.ReadExactlyAsync(header, ct);
        var length = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(4));
        var pdu = new byte[length - 1];
        await stream.ReadExactlyAsync(pdu, ct);
        return (BinaryPrimitives.ReadUInt16BigEndian(header), pdu);
    }
}
