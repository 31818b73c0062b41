using EquipmentIoT.Protocols.LineProtocol;
using Microsoft.Extensions.Logging;

namespace EquipmentIoT.Cloud.Storage.Influx;

/// <summary>
/// Fire-and-forget writes batched by size and by time: points gather until <see cref="InfluxOptions.BatchPoints"/>
/// are held (sent at once) or <see cref="InfluxOptions.FlushInterval"/> has passed since the first of them (sent
/// by the timer). For metrics of our own (collection latency, buffer depth) where a lost body after every retry
/// is acceptable and counted in <see cref="FailedPoints"/>; the series store does not use it, because its writes
/// must be acknowledged before the ledger moves on.
/// </summary>
public sealed class InfluxBufferedWriter : IAsyncDisposable
{
    private readonly InfluxClient _client;
    private readonly string? _retentionPolicy;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly ITimer _timer;
    private InfluxLineBodies _pending;
    private long _failed;
    private bool _timerArmed;

    public InfluxBufferedWriter(InfluxClient client, string? retentionPolicy, ILogger<InfluxBufferedWriter> logger, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(logger);
        _client = client;
        _retentionPolicy = retentionPolicy;
        _logger = logger;
        _pending = NewBodies();
        _timer = (time ?? TimeProvider.System).CreateTimer(_ => _ = FlushQuietlyAsync(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Points given up after every retry.</summary>
    public long FailedPoints => Interlocked.Read(ref _failed);

    /// <summary>Queues a point (millisecond timestamp); returns why it was refused, or null.</summary>
    public string? Add(LinePoint point)
    {
        bool full;
        lock (_gate)
        {
            if (_pending.TryAdd(point) is { } error) return error;
            full = _pending.Points >= _client.Options.BatchPoints;
            if (!full && !_timerArmed)
            {
                _timerArmed = true;
                _timer.Change(_client.Options.FlushInterval, Timeout.InfiniteTimeSpan);
            }
        }
        if (full) _ = FlushQuietlyAsync();
        return null;
    }

    /// <summary>Sends everything queued so far and returns when InfluxDB acknowledged it (or throws).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<ReadOnlyMemory<byte>> bodies;
        int points;
        lock (_gate)
        {
            points = _pending.Points;
            bodies = _pending.Drain();
            _timerArmed = false;
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
        if (bodies.Count == 0) return;
        await _sending.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var body in bodies) await _client.WriteAsync(body, _retentionPolicy, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InfluxRequestException or InfluxCommunicationException)
        {
            Interlocked.Add(ref _failed, points);
            throw;
        }
        finally
        {
            _sending.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _timer.DisposeAsync().ConfigureAwait(false);
        await FlushQuietlyAsync().ConfigureAwait(false);
        _sending.Dispose();
    }

    private InfluxLineBodies NewBodies() => new(_client.Options.BatchPoints, _client.Options.BatchBytes);

    private async Task FlushQuietlyAsync()
    {
        int points;
        lock (_gate) points = _pending.Points;
        try
        {
            await FlushAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InfluxRequestException or InfluxCommunicationException)
        {
            InfluxLog.FlushFailed(_logger, points, ex);
        }
    }
}
