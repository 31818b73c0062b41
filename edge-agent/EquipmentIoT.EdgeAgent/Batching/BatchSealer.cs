using System.Buffers;
using EquipmentIoT.EdgeAgent.Buffer;
using EquipmentIoT.EdgeAgent.Configuration;
using EquipmentIoT.EdgeAgent.Health;
using EquipmentIoT.EdgeAgent.Signing;
using EquipmentIoT.Protocols.Telemetry;
using EquipmentIoT.Protocols.Telemetry.Chain;
using EquipmentIoT.Protocols.Telemetry.Jose;
using EquipmentIoT.Protocols.Telemetry.Model;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace EquipmentIoT.EdgeAgent.Batching;

/// <summary>
/// Turns closed batches of one stream into signed, chained records on disk, one at a time and in
/// order: number (seq = last + 1), chain (prev = hash of the last record), sign, append with fsync.
/// Only then is a batch "collected". A failing disk is retried with backoff holding the batch; the
/// metrics stream is thinned or dropped under buffer pressure before it is numbered, so the chain never
/// has a hole the agent made itself.
/// </summary>
internal sealed partial class BatchSealer
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(30);

    private readonly string _agentId;
    private readonly string _stream;
    private readonly DurableBuffer _buffer;
    private readonly SigningKeyProvider _keys;
    private readonly BufferSettings _policy;
    private readonly AgentCounters _counters;
    private readonly IClock _clock;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly MetricThinner? _thinner;
    private readonly ArrayBufferWriter<byte> _payload = new(64 * 1024);
    private readonly Action<TelemetryEvent>? _report;
    private Instant _lastDropReport = Instant.MinValue;
    private long _lastSeq;
    private string? _lastHash;
    private bool _thinning;

    public BatchSealer(string agentId, string stream, DurableBuffer buffer, SigningKeyProvider keys, BufferSettings policy,
        AgentCounters counters, IClock clock, TimeProvider time, ILogger logger, Action<TelemetryEvent>? report = null)
    {
        _report = report;
        _agentId = agentId;
        _stream = stream;
        _buffer = buffer;
        _keys = keys;
        _policy = policy;
        _counters = counters;
        _clock = clock;
        _time = time;
        _logger = logger;
        _thinner = stream == BufferStreams.Metrics && policy.WhenFull == FullPolicy.ThinThenDrop ? new MetricThinner(policy.ThinningInterval) : null;
        // The chain continues from the newest record on disk, which the buffer always keeps.
        _lastSeq = buffer.LastSeq(stream);
        _lastHash = buffer.LastRecord(stream) is { } last ? TelemetryChain.Hash(last) : null;
    }

    /// <summary>Seals metrics batches until the channel completes (then everything closed is on disk).</summary>
    public async Task RunMetricsAsync(System.Threading.Channels.ChannelReader<List<MetricPoint>> closed, CancellationToken cancellationToken)
    {
        await foreach (var points in closed.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            var pressure = _buffer.Pressure;
            if (_thinner is not null)
            {
                if (pressure == BufferPressure.Normal)
                {
                    if (_thinning)
                    {
                        LogThinningEnded(_logger);
                        Report("buffer.normal");
                    }

                    _thinning = false;
                    _thinner.Reset();
                }
                else
                {
                    if (!_thinning)
                    {
                        LogThinningStarted(_logger, _policy.ThinningInterval);
                        Report("buffer.thinning", ("intervalSeconds", _policy.ThinningInterval.TotalSeconds));
                    }

                    _thinning = true;
                    _counters.Thinned(_thinner.Thin(points));
                }
            }

            if (points.Count == 0) continue;
            if (pressure == BufferPressure.Full)
            {
                Drop(points.Count, "the buffer is full");
                continue;
            }

            await SealAsync(points, [], cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Seals events batches until the channel completes. Events are never thinned or dropped.</summary>
    public async Task RunEventsAsync(System.Threading.Channels.ChannelReader<List<TelemetryEvent>> closed, CancellationToken cancellationToken)
    {
        await foreach (var events in closed.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            await SealAsync([], events, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task SealAsync(List<MetricPoint> points, List<TelemetryEvent> events, CancellationToken cancellationToken)
    {
        var signer = await _keys.GetAsync(cancellationToken).ConfigureAwait(false);
        var seq = _lastSeq + 1;
        var batch = new TelemetryBatch(_agentId, _stream, seq, _lastHash, _clock.GetCurrentInstant(), points, events);
        var sealedBatch = TelemetryEnvelope.Seal(batch, signer, _payload);
        var record = sealedBatch.Jws;

        var delay = FirstRetry;
        while (true)
        {
            try
            {
                var result = await _buffer.AppendAsync(_stream, seq, record, cancellationToken).ConfigureAwait(false);
                if (result == AppendResult.Refused)
                {
                    // Only the metrics stream can be refused (the buffer is full of unsent data).
                    Drop(points.Count, "the buffer is full");
                    return;
                }

                break;
            }
            catch (IOException e)
            {
                // A full or failing disk: keep this batch in memory and try again; the pending bound in
                // front of us drops (and counts) new metrics batches meanwhile, events wait.
                var what = $"cannot store {_stream} batch {seq}: {e.Message}";
                LogAppendFailed(_logger, _stream, seq, e.Message, delay);
                _counters.Error(_time, what);
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(MaxRetry.Ticks, delay.Ticks * 2));
            }
        }

        _lastSeq = seq;
        _lastHash = sealedBatch.Hash;
        _counters.Sealed();
    }

    private void Drop(int points, string why)
    {
        _counters.Dropped(points);
        LogDropped(_logger, points, why);
        // An auditable trace on the events stream, at most once a minute while dropping goes on.
        var now = _clock.GetCurrentInstant();
        if (now - _lastDropReport < Duration.FromMinutes(1)) return;
        _lastDropReport = now;
        Report("buffer.full", ("droppedPointsTotal", _counters.DroppedPoints), ("droppedBatchesTotal", _counters.DroppedBatches));
    }

    // An `agent` event (SPEC.md §event types) on the events stream, which is never dropped.
    private void Report(string what, params (string Key, double Value)[] figures)
    {
        if (_report is null) return;
        var data = new Dictionary<string, EventValue> { ["what"] = what, ["stream"] = _stream };
        foreach (var (key, value) in figures) data[key] = value;
        _report(new TelemetryEvent("agent", EventTypes.Agent, _clock.GetCurrentInstant(), data));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Buffer pressure: thinning metrics to one reading per metric every {Interval}")]
    private static partial void LogThinningStarted(ILogger logger, TimeSpan interval);

    [LoggerMessage(Level = LogLevel.Information, Message = "Buffer pressure gone: metrics kept in full again")]
    private static partial void LogThinningEnded(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dropped a metrics batch of {Points} readings: {Why}")]
    private static partial void LogDropped(ILogger logger, int points, string why);

    [LoggerMessage(Level = LogLevel.Error, Message = "Cannot store {Stream} batch {Seq}: {Error}; kept in memory, retrying in {Delay}")]
    private static partial void LogAppendFailed(ILogger logger, string stream, long seq, string error, TimeSpan delay);
}
