using System.Net;
using System.Net.Sockets;

namespace EquipmentIoT.Protocols.Tests.Modbus;

/// <summary>Two connected loopback TCP streams: a stand-in for a serial line between a master and its slaves.</summary>
internal sealed class LoopbackStreamPair : IDisposable
{
    private LoopbackStreamPair(NetworkStream master, NetworkStream slave)
    {
        Master = master;
        Slave = slave;
    }

    public NetworkStream Master { get; }

    public NetworkStream Slave { get; }

    public static async Task<LoopbackStreamPair> OpenAsync()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var accepting = listener.AcceptSocketAsync();
        await client.ConnectAsync((IPEndPoint)listener.LocalEndpoint);
        var server = await accepting;
        server.NoDelay = true;
        return new LoopbackStreamPair(new NetworkStream(client, ownsSocket: true), new NetworkStream(server, ownsSocket: true));
    }

    public void Dispose()
    {
        Master.Dispose();
        Slave.Dispose();
    }
}
