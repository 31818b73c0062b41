using EquipmentIoT.EdgeAgent.Buffer;
using EquipmentIoT.EdgeAgent.Collection;
using EquipmentIoT.EdgeAgent.Configuration;
using EquipmentIoT.EdgeAgent.Health;
using EquipmentIoT.EdgeAgent.Privacy;
using EquipmentIoT.EdgeAgent.Signing;
using EquipmentIoT.Protocols.Telemetry.Json;
using EquipmentIoT.Protocols.Telemetry.Model;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace EquipmentIoT.EdgeAgent.Batching;

/// <summary>
/// From adapters to disk: readings and (scrubbed) events are grouped into batches per stream, closed
/// when full or <see cref="BatchOptions.MaxAge"/> old, then numbered, chained, signed and stored by one
/// <see cref="BatchSealer"/> per stream.
/// </summary>
public sealed partial class TelemetryPipeline : ITelemetrySink
{
    // A misconfigured profile can make every reading of a device invalid: log the first of each kind, then count.
    private const int MaxLoggedRejections = 64;

    // An adapter sends the same device, name and unit string instances reading after reading: per thread, the last
    // good ones are not checked again, so the check at the sink costs little more than the value and time checks.
    [ThreadStatic] private static string? t_goodDevice;
    [ThreadStatic] private static string? t_goodName;
    [ThreadStatic] private static string? t_goodUnit;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _loggedRejections = new(StringComparer.Ordinal);
    private readonly ILogger _logger;
    private readonly BatchOptions _options;
    private readonly PhiScrubber _scrubber;
    private readonly AgentCounters _counters;
    private readonly IClock _clock;
    private readonly TimeProvider _time;
    private readonly OpenBatch<MetricPoint> _metrics;
    private readonly OpenBatch<TelemetryEvent> _events;
    private readonly BatchSealer _metricsSealer;
    private readonly BatchSealer _eventsSealer;

    /// <summary>Creates the pipeline; the chains continue from what the buffer holds.</summary>
    public TelemetryPipeline(AgentOptions options, DurableBuffer buffer, SigningKeyProvider keys, PhiScrubber scrubber,
        AgentCounters counters, IClock clock, TimeProvider time, ILoggerFactory loggers)
    {
        _options = options.Batch;
        _scrubber = scrubber;
        _counters = counters;
        _clock = clock;
        _time = time;
        _metrics = new OpenBatch<MetricPoint>(_options.MaxPoints, _options.PendingMetricBatches, counters.Dropped);
        _events = new OpenBatch<TelemetryEvent>(_options.MaxEvents, pendingBound: null, onDropped: null);
        var logger = loggers.CreateLogger<TelemetryPipeline>();
        _logger = logger;
        _metricsSealer = new BatchSealer(options.Id, BufferStreams.Metrics, buffer, keys, options.Buffer, counters, clock, time, logger,
            report: e => _events.Add(e, clock.GetCurrentInstant()));
        _eventsSealer = new BatchSealer(options.Id, BufferStreams.Events, buffer, keys, options.Buffer, counters, clock, time, logger);
    }

    /// <summary>Reports what recovery cut from the buffer at start as an `agent` event, so the cloud has a signed record of it.</summary>
    public void ReportRecovery(RecoveryReport recovery)
    {
        ArgumentNullException.ThrowIfNull(recovery);
        foreach (var s in recovery.Streams.Where(s => !s.IsClean))
        {
            var data = new Dictionary<string, EventValue>
            {
                ["what"] = "buffer.recovery",
                ["stream"] = s.Stream,
                ["recordsKept"] = s.RecordsKept,
                ["bytesCut"] = s.BytesCut,
                ["skippedRecords"] = s.SkippedRecords,
                ["lostRanges"] = string.Join(",", s.LostRanges.Select(r => r.ToString())),
            };
            _events.Add(new TelemetryEvent("agent", EventTypes.Agent, _clock.GetCurrentInstant(), data), _clock.GetCurrentInstant());
        }
    }

    /// <inheritdoc/>
    public void AddMetric(in MetricPoint point)
    {
        _counters.Collected(1);
        // One bad reading must not spoil its batch (the writer refuses the whole batch): refuse it here, counted.
        if (TelemetryBatchWriter.ValidatePoint(point, ref t_goodDevice, ref t_goodName, ref t_goodUnit) is { } problem)
        {
            Rejected(_counters.RejectedPoint(), "a reading", point.Device, point.Name, problem);
            return;
        }

        _metrics.Add(point, _clock.GetCurrentInstant());
    }

    /// <inheritdoc/>
    public void AddEvent(TelemetryEvent telemetryEvent)
    {
        _counters.CollectedEvent();
        // Patient data is removed here, before the event is in any batch, file or packet.
        var scrubbed = _scrubber.Scrub(telemetryEvent);
        if (TelemetryBatchWriter.ValidateEvent(scrubbed) is { } problem)
        {
            Rejected(_counters.RejectedEvent(), "an event", scrubbed.Device, scrubbed.Type, problem);
            return;
        }

        _events.Add(scrubbed, _clock.GetCurrentInstant());
    }

    private void Rejected(long count, string what, string? device, string? name, string problem)
    {
        // The problem names the member and the rule, never the value (an event's text may hold what a device typed).
        var key = $"{what} {device} {name}: {problem}";
        _counters.Error(_time, $"refused {key}");
        if (_loggedRejections.Count < MaxLoggedRejections && _loggedRejections.TryAdd(key, 0)) LogRejected(_logger, what, device, name, problem, count);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused {What} of device {Device} ({Name}): {Problem}; {Count} refused so far (fix the adapter or profile; logged once per kind)")]
    private static partial void LogRejected(ILogger logger, string what, string? device, string? name, string problem, long count);

    /// <summary>
    /// Closes batches as they age until <paramref name="stoppingToken"/> fires; then closes what is open
    /// and returns once every collected reading and event is on disk (or <paramref name="abandonToken"/> fires).
    /// </summary>
    public async Task RunAsync(CancellationToken stoppingToken, CancellationToken abandonToken)
    {
        var metricsSealing = Task.Run(() => _metricsSealer.RunMetricsAsync(_metrics.Closed.Reader, abandonToken), CancellationToken.None);
        var eventsSealing = Task.Run(() => _eventsSealer.RunEventsAsync(_events.Closed.Reader, abandonToken), CancellationToken.None);
        var maxAge = Duration.FromTimeSpan(_options.MaxAge);
        var tick = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(5).Ticks, _options.MaxAge.Ticks / 4));
        using (var timer = new PeriodicTimer(tick, _time))
        {
            try
            {
                while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
                {
                    var now = _clock.GetCurrentInstant();
                    _metrics.CloseIfDue(now, maxAge);
                    _events.CloseIfDue(now, maxAge);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                // Stopping: fall through and flush.
            }
        }

        // Metrics first: sealing them may still report a policy action as an event, which must not find the events stream closed.
        _metrics.Complete();
        await metricsSealing.ConfigureAwait(false);
        _events.Complete();
        await eventsSealing.ConfigureAwait(false);
    }

    /// <summary>Closes the open batches now (used by tests and by the resend path to make "now" visible).</summary>
    public void CloseOpenBatches()
    {
        _metrics.CloseIfDue(_clock.GetCurrentInstant(), null);
        _events.CloseIfDue(_clock.GetCurrentInstant(), null);
    }
}
