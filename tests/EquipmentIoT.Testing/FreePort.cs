using System.Net;
using System.Net.Sockets;

namespace EquipmentIoT.Testing;

/// <summary>
/// Picks free TCP ports on 127.0.0.1 for servers that tests start. A port is never handed out twice
/// within one process, so parallel tests cannot be given the same one.
/// </summary>
public static class FreePort
{
    private const int MaxAttempts = 100;
    private static readonly HashSet<int> HandedOut = [];
    private static readonly Lock Gate = new();

    /// <summary>Returns a loopback port that was free a moment ago and that no earlier call returned.</summary>
    /// <exception cref="InvalidOperationException">The kernel kept returning ports already handed out.</exception>
    public static int Next()
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var port = AskKernel();
            lock (Gate)
            {
                if (HandedOut.Add(port))
                {
                    return port;
                }
            }
        }

        throw new InvalidOperationException($"no unused loopback port after {MaxAttempts} attempts");
    }

    private static int AskKernel()
    {
        // Binding port 0 lets the kernel choose; closing releases it for the server about to bind it.
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }
}
