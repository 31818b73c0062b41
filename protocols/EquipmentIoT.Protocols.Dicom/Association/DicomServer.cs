using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using EquipmentIoT.Protocols.Dicom.Services;
using Microsoft.Extensions.Logging;

namespace EquipmentIoT.Protocols.Dicom.Association;

/// <summary>Counters of a <see cref="DicomServer"/>.</summary>
public sealed record DicomServerStatistics(long Accepted, long Rejected, long Aborted, long ProtocolErrors, long Timeouts, int Active, string? LastError);

/// <summary>
/// The association acceptor: a TCP listener, one <see cref="ScpAssociation"/> per connection (at most
/// <see cref="DicomServerOptions.MaxAssociations"/> at once), and the services that answer requests by SOP class.
/// </summary>
public sealed partial class DicomServer : IAsyncDisposable
{
    private readonly DicomServerOptions _options;
    private readonly IReadOnlyDictionary<string, IDicomService> _services;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly AssociationNegotiator _negotiator;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<long, Task> _connections = new();
    private TcpListener? _listener;
    private Task _acceptLoop = Task.CompletedTask;
    private long _nextConnection;
    private int _active, _open;
    private long _accepted, _rejected, _aborted, _protocolErrors, _timeouts;
    private string? _lastError;

    /// <summary>Creates the server; <see cref="Start"/> binds it.</summary>
    public DicomServer(DicomServerOptions options, IEnumerable<IDicomService> services, ILogger logger, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(services);
        _options = options;
        _services = services.ToDictionary(s => s.SopClassUid, StringComparer.Ordinal);
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        LogBudget = new LogBudget(20, time);
        _negotiator = new AssociationNegotiator(options.AeTitle, options.AcceptedCallingAeTitles, _services.Keys.ToHashSet(StringComparer.Ordinal), options.MaxPduLength);
    }

    /// <summary>Bounds the log lines peers can cause (20 a minute).</summary>
    internal LogBudget LogBudget { get; }

    /// <summary>Where the server listens (after <see cref="Start"/>).</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)(_listener?.LocalEndpoint ?? throw new InvalidOperationException("not started"));

    /// <summary>Completes when the accept loop ends (stopped, or the listener failed).</summary>
    public Task Completion => _acceptLoop;

    /// <summary>A snapshot of the counters.</summary>
    public DicomServerStatistics Statistics => new(Interlocked.Read(ref _accepted), Interlocked.Read(ref _rejected), Interlocked.Read(ref _aborted),
        Interlocked.Read(ref _protocolErrors), Interlocked.Read(ref _timeouts), Volatile.Read(ref _active), Volatile.Read(ref _lastError));

    /// <summary>Binds <paramref name="endPoint"/> (port 0: any free port) and starts accepting.</summary>
    /// <exception cref="SocketException">The address cannot be bound.</exception>
    public void Start(IPEndPoint endPoint)
    {
        if (_listener is not null) throw new InvalidOperationException("already started");
        _listener = new TcpListener(endPoint);
        _listener.Start(backlog: 64);
        LogListening(_logger, LocalEndPoint, _options.AeTitle);
        _acceptLoop = AcceptLoopAsync(_stopping.Token);
    }

    /// <summary>Stops accepting, aborts the associations and waits (bounded) for them to end.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_stopping.IsCancellationRequested) await _stopping.CancelAsync().ConfigureAwait(false);
        _listener?.Stop();
        try
        {
            await _acceptLoop.ConfigureAwait(false);
            await Task.WhenAll(_connections.Values).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Connections ignore nothing but I/O; a socket stuck in the kernel does not hold up the stop.
        }

        _stopping.Dispose();
    }

    internal void Record(AssociationOutcome outcome, string? error)
    {
        switch (outcome)
        {
            case AssociationOutcome.Accepted: Interlocked.Increment(ref _accepted); break;
            case AssociationOutcome.Rejected: Interlocked.Increment(ref _rejected); break;
            case AssociationOutcome.Aborted: Interlocked.Increment(ref _aborted); break;
            case AssociationOutcome.ProtocolError: Interlocked.Increment(ref _protocolErrors); break;
            case AssociationOutcome.Timeout: Interlocked.Increment(ref _timeouts); break;
        }

        if (error is not null) Volatile.Write(ref _lastError, error);
    }

    private async Task AcceptLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener!.AcceptSocketAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (ObjectDisposedException)
            {
                break;
            }
            catch (SocketException e)
            {
                Record(AssociationOutcome.None, $"accept failed: {e.Message}");
                LogAcceptFailed(_logger, e.SocketErrorCode);
                continue;
            }

            socket.NoDelay = true;
            // Beyond twice the limit of open connections nobody even gets a rejection: close at once so a flood
            // cannot hold sockets.
            if (Interlocked.Increment(ref _open) > 2 * _options.MaxAssociations)
            {
                Interlocked.Decrement(ref _open);
                Record(AssociationOutcome.Rejected, "too many connections");
                socket.Dispose();
                continue;
            }

            // The limit counts associations, not sockets: a slot is given back as soon as the association has
            // ended (release answered, rejection or abort sent), not when the peer gets round to closing.
            var active = Interlocked.Increment(ref _active);
            var slot = new AssociationSlot(() => Interlocked.Decrement(ref _active));
            var id = Interlocked.Increment(ref _nextConnection);
            _connections[id] = RunConnectionAsync(id, socket, slot, overLimit: active > _options.MaxAssociations, cancellationToken);
        }
    }

    private async Task RunConnectionAsync(long id, Socket socket, AssociationSlot slot, bool overLimit, CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            var remote = socket.RemoteEndPoint?.ToString();
            var stream = new QuickAckNetworkStream(socket);
            var connection = new DicomConnection(stream, _time);
            await using (connection.ConfigureAwait(false))
            {
                var association = new ScpAssociation(this, connection, slot, _options, _negotiator, _services, _logger, remote);
                await association.RunAsync(overLimit, cancellationToken).ConfigureAwait(false);
            }
        }
#pragma warning disable CA1031 // One connection's failure must never take the listener down; it is counted and logged.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Record(AssociationOutcome.None, e.Message);
            LogConnectionFailed(_logger, e);
        }
        finally
        {
            slot.Release();
            Interlocked.Decrement(ref _open);
            _connections.TryRemove(id, out _);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "DICOM: listening on {EndPoint} as {AeTitle}")]
    private static partial void LogListening(ILogger logger, IPEndPoint endPoint, string aeTitle);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DICOM: accept failed ({Error})")]
    private static partial void LogAcceptFailed(ILogger logger, SocketError error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "DICOM: connection ended with an error")]
    private static partial void LogConnectionFailed(ILogger logger, Exception exception);
}

/// <summary>One place under <see cref="DicomServerOptions.MaxAssociations"/>, given back once.</summary>
internal sealed class AssociationSlot(Action giveBack)
{
    private int _released;

    public void Release()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0) giveBack();
    }
}

/// <summary>How an association (or connection) ended, for the counters.</summary>
internal enum AssociationOutcome
{
    None,
    Accepted,
    Rejected,
    Aborted,
    ProtocolError,
    Timeout,
}
