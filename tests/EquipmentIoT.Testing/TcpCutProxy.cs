using System.Net;
using System.Net.Sockets;

namespace EquipmentIoT.Testing;

/// <summary>
/// A loopback TCP proxy for fault injection between a client and a real server that stays up.
/// Every accepted connection is forwarded to the target; on request the proxy resets all current
/// connections (<see cref="CutAll"/>: an RST to both sides, as when a NAT box or a firewall drops its
/// state) or silently swallows their traffic while keeping the sockets open (<see cref="BlackHoleAll"/>:
/// nothing arrives and nothing fails, as on a dead route). New connections are forwarded normally
/// after either, so a client that reconnects gets through. Listens on port 0 (the kernel's choice).
/// </summary>
public sealed class TcpCutProxy : IAsyncDisposable
{
    private const int BufferSize = 64 * 1024;

    private readonly TcpListener listener;
    private readonly IPEndPoint target;
    private readonly Lock gate = new();
    private readonly HashSet<Link> links = [];
    private readonly List<Task> linkTasks = [];
    private readonly CancellationTokenSource stopping = new();
    private Task acceptLoop = Task.CompletedTask;
    private int accepted;

    private TcpCutProxy(IPEndPoint target)
    {
        this.target = target;
        listener = new TcpListener(IPAddress.Loopback, 0);
    }

    /// <summary>The loopback address the proxy listens on.</summary>
    public string Host { get; } = "127.0.0.1";

    /// <summary>The port the proxy listens on.</summary>
    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    /// <summary>Connections accepted since the start (cut or not).</summary>
    public int AcceptedConnections => Volatile.Read(ref accepted);

    /// <summary>Connections currently being forwarded (or black-holed).</summary>
    public int OpenConnections
    {
        get
        {
            lock (gate)
            {
                return links.Count;
            }
        }
    }

    /// <summary>Starts forwarding connections made to <see cref="Port"/> to <paramref name="targetHost"/>:<paramref name="targetPort"/>.</summary>
    public static TcpCutProxy Start(string targetHost, int targetPort)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(targetHost);
        var proxy = new TcpCutProxy(new IPEndPoint(IPAddress.Parse(targetHost), targetPort));
        proxy.listener.Start();
        proxy.acceptLoop = proxy.AcceptLoopAsync();
        return proxy;
    }

    /// <summary>
    /// Resets every current connection: both sockets are closed with SO_LINGER 0, so the client and the
    /// server each get an RST (neither sees a clean close). Returns how many connections were cut.
    /// </summary>
    public int CutAll()
    {
        Link[] current;
        lock (gate)
        {
            current = [.. links];
            links.Clear();
        }

        foreach (var link in current)
        {
            link.Reset();
        }

        return current.Length;
    }

    /// <summary>
    /// From now on, discards everything read on the current connections in both directions without
    /// closing them. Returns how many connections were affected.
    /// </summary>
    public int BlackHoleAll()
    {
        lock (gate)
        {
            foreach (var link in links)
            {
                link.BlackHoled = true;
            }

            return links.Count;
        }
    }

    /// <summary>Stops listening and resets every connection.</summary>
    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        listener.Stop();
        CutAll();
        Task[] running;
        lock (gate)
        {
            running = [acceptLoop, .. linkTasks];
        }

        await Task.WhenAll(running).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (true)
            {
                var client = await listener.AcceptSocketAsync(stopping.Token).ConfigureAwait(false);
                Interlocked.Increment(ref accepted);
                var task = ForwardAsync(client);
                lock (gate)
                {
                    linkTasks.RemoveAll(t => t.IsCompleted);
                    linkTasks.Add(task);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Disposed: the listener is stopped.
        }
    }

    private async Task ForwardAsync(Socket client)
    {
        client.NoDelay = true;
        var upstream = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        var link = new Link(client, upstream);
        try
        {
            await upstream.ConnectAsync(target, stopping.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            link.Reset(); // the server is down: the client sees its connection refused (reset)
            return;
        }

        lock (gate)
        {
            if (stopping.IsCancellationRequested)
            {
                link.Reset();
                return;
            }

            links.Add(link);
        }

        var up = PumpAsync(link, client, upstream);
        var down = PumpAsync(link, upstream, client);
        await Task.WhenAll(up, down).ConfigureAwait(false);
        lock (gate)
        {
            links.Remove(link);
        }

        link.Close();
    }

    /// <summary>Copies <paramref name="from"/> to <paramref name="to"/> until end of stream or an error.</summary>
    private static async Task PumpAsync(Link link, Socket from, Socket to)
    {
        var buffer = new byte[BufferSize];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None).ConfigureAwait(false);
                if (read == 0)
                {
                    // A clean close travels on as one, after everything read before it; into a black
                    // hole it vanishes like everything else.
                    if (!link.BlackHoled)
                    {
                        to.Shutdown(SocketShutdown.Send);
                    }

                    return;
                }

                if (!link.BlackHoled)
                {
                    await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // One side reset (or we cut the link): the other side gets a reset too, unless the link is a
            // black hole, where the other side must go on hearing nothing until it gives up itself.
            if (!link.BlackHoled)
            {
                link.Reset();
            }
        }
    }

    private sealed class Link(Socket client, Socket upstream)
    {
        private int closed;

        public volatile bool BlackHoled;

        /// <summary>Closes both sockets with SO_LINGER 0: each peer gets an RST.</summary>
        public void Reset()
        {
            if (Interlocked.Exchange(ref closed, 1) != 0)
            {
                return;
            }

            foreach (var socket in new[] { client, upstream })
            {
                try
                {
                    socket.LingerState = new LingerOption(true, 0);
                }
                catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
                {
                    // Never connected, or already gone: disposing is all there is to do.
                }

                socket.Dispose();
            }
        }

        /// <summary>Both directions ended cleanly: release the sockets.</summary>
        public void Close()
        {
            if (Interlocked.Exchange(ref closed, 1) != 0)
            {
                return;
            }

            client.Dispose();
            upstream.Dispose();
        }
    }
}
