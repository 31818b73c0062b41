using System.Buffers;
using System.Net;
using System.Net.Sockets;
using EquipmentIoT.Protocols.Mqtt.Formatter;
using EquipmentIoT.Protocols.Mqtt.Packets;

namespace EquipmentIoT.IntegrationTests.AzureIotHub;

/// <summary>
/// A loopback TCP proxy in front of a broker that decodes each connection's first packet with our MQTT
/// decoder and records it (the CONNECT: client id, user name, password), then forwards everything both
/// ways. mosquitto logs neither passwords nor whether they changed; this shows what the client sent.
/// </summary>
internal sealed class ConnectRecordingProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly Lock _gate = new();
    private readonly List<MqttConnectPacket> _connects = [];
    private readonly List<Socket> _sockets = [];
    private readonly CancellationTokenSource _stopping = new();
    private Task _acceptLoop = Task.CompletedTask;

    private ConnectRecordingProxy(IPEndPoint target) => _target = target;

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public IReadOnlyList<MqttConnectPacket> Connects
    {
        get
        {
            lock (_gate) return [.. _connects];
        }
    }

    public static ConnectRecordingProxy Start(string host, int port)
    {
        var proxy = new ConnectRecordingProxy(new IPEndPoint(IPAddress.Parse(host), port));
        proxy._listener.Start();
        proxy._acceptLoop = proxy.AcceptLoopAsync();
        return proxy;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        lock (_gate)
        {
            foreach (var s in _sockets) s.Dispose();
        }

        await _acceptLoop.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptSocketAsync(_stopping.Token);
                _ = Task.Run(() => ForwardAsync(client));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopped.
        }
    }

    private async Task ForwardAsync(Socket client)
    {
        var upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        lock (_gate)
        {
            _sockets.Add(client);
            _sockets.Add(upstream);
        }

        try
        {
            await upstream.ConnectAsync(_target, _stopping.Token);
            var received = new ArrayBufferWriter<byte>();
            while (true)
            {
                var n = await client.ReceiveAsync(received.GetMemory(4096), SocketFlags.None, _stopping.Token);
                if (n == 0) return;
                received.Advance(n);
                var buffer = new ReadOnlySequence<byte>(received.WrittenMemory);
                if (MqttPacketDecoder.TryDecode(ref buffer, 1 << 20, out var packet))
                {
                    if (packet is MqttConnectPacket connect)
                        lock (_gate) _connects.Add(connect);
                    break;
                }
            }

            await upstream.SendAsync(received.WrittenMemory, SocketFlags.None, _stopping.Token);
            using var toBroker = new NetworkStream(client, ownsSocket: false);
            using var toClient = new NetworkStream(upstream, ownsSocket: false);
            await Task.WhenAny(toBroker.CopyToAsync(toClient, _stopping.Token), toClient.CopyToAsync(toBroker, _stopping.Token));
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException or IOException)
        {
            // One side closed or the proxy stopped.
        }
        finally
        {
            client.Dispose();
            upstream.Dispose();
        }
    }
}
