using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace EquipmentIoT.EdgeAgent.Hosting;

/// <summary>
/// Tells systemd how the agent is doing (sd_notify(3) protocol: one datagram of "KEY=value" lines to the
/// socket in $NOTIFY_SOCKET): READY=1 once running, WATCHDOG=1 while healthy (the unit sets WatchdogSec,
/// so a hung agent is restarted), STATUS= a line for <c>systemctl status</c>, STOPPING=1 on shutdown.
/// Does nothing when not started by systemd.
/// </summary>
public sealed class SystemdNotifier : IDisposable
{
    private readonly Socket? _socket;
    private readonly UnixDomainSocketEndPoint? _endPoint;

    /// <summary>Reads $NOTIFY_SOCKET and $WATCHDOG_USEC.</summary>
    public SystemdNotifier()
        : this(Environment.GetEnvironmentVariable("NOTIFY_SOCKET"), Environment.GetEnvironmentVariable("WATCHDOG_USEC"))
    {
    }

    /// <summary>Uses the given socket path and watchdog interval (microseconds), as systemd would pass them.</summary>
    public SystemdNotifier(string? notifySocket, string? watchdogMicroseconds)
    {
        var path = notifySocket;
        if (string.IsNullOrEmpty(path)) return;
        // A leading '@' names a socket in the abstract namespace, which .NET spells with a leading NUL.
        _endPoint = new UnixDomainSocketEndPoint(path[0] == '@' ? "\0" + path[1..] : path);
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        if (long.TryParse(watchdogMicroseconds, NumberStyles.None, CultureInfo.InvariantCulture, out var usec) && usec > 0)
        {
            // Ping at half the watchdog interval, as sd_watchdog_enabled(3) advises.
            WatchdogInterval = TimeSpan.FromMicroseconds(usec / 2.0);
        }
    }

    /// <summary>Whether systemd is listening.</summary>
    public bool IsEnabled => _socket is not null;

    /// <summary>How often to send WATCHDOG=1, or null when the unit has no watchdog.</summary>
    public TimeSpan? WatchdogInterval { get; }

    /// <summary>Sends one notification, e.g. "READY=1\nSTATUS=collecting"; errors are ignored (systemd may be restarting).</summary>
    public void Notify(string state)
    {
        if (_socket is null || _endPoint is null) return;
        try
        {
            _socket.SendTo(Encoding.UTF8.GetBytes(state), _endPoint);
        }
        catch (SocketException)
        {
            // Nothing to do: the service keeps running without systemd's bookkeeping.
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _socket?.Dispose();
}
