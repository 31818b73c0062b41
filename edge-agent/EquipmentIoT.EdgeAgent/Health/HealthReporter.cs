using EquipmentIoT.EdgeAgent.Buffer;
using EquipmentIoT.EdgeAgent.Collection;
using EquipmentIoT.EdgeAgent.Configuration;
using EquipmentIoT.EdgeAgent.Hosting;
using EquipmentIoT.EdgeAgent.Publishing;
using EquipmentIoT.Protocols.Mqtt;
using EquipmentIoT.Protocols.Telemetry.State;
using Microsoft.Extensions.Logging;
using NodaTime;
using StatePressure = EquipmentIoT.Protocols.Telemetry.State.BufferPressure;
using StateAdapterStatus = EquipmentIoT.Protocols.Telemetry.State.AdapterStatus;
using AdapterState = EquipmentIoT.EdgeAgent.Collection.AdapterState;
using StateAdapter = EquipmentIoT.Protocols.Telemetry.State.AdapterState;

namespace EquipmentIoT.EdgeAgent.Health;

/// <summary>
/// The agent's health record (SPEC.md §state): version, uptime, buffer depth and age of the oldest unsent
/// batch, pressure, dropped counts, adapters, transport, last error, clock. Published retained every
/// <see cref="HealthOptions.Interval"/> and right after each connect; its "offline" form is the last will.
/// </summary>
public sealed partial class HealthReporter : IDisposable
{
    private readonly AgentOptions _options;
    private readonly DurableBuffer _buffer;
    private readonly AgentCounters _counters;
    private readonly IClock _clock;
    private readonly TimeProvider _time;
    private readonly ILogger<HealthReporter> _logger;
    private readonly Instant _started;
    private readonly SemaphoreSlim _soon = new(0, 1);
    private string? _transportError;

    /// <summary>Created by the host; <see cref="Attach"/> adds the transport and adapters (the transport needs this reporter's offline record first).</summary>
    public HealthReporter(AgentOptions options, DurableBuffer buffer, AgentCounters counters, IClock clock,
        TimeProvider time, ILogger<HealthReporter> logger)
    {
        _options = options;
        _buffer = buffer;
        _counters = counters;
        _clock = clock;
        _time = time;
        _logger = logger;
        _started = clock.GetCurrentInstant();
    }

    private ITelemetryTransport? _transport;
    private AdapterSupervisor? _adapters;

    /// <summary>Adds what the record reports on besides the buffer.</summary>
    public void Attach(ITelemetryTransport transport, AdapterSupervisor adapters)
    {
        _transport = transport;
        _adapters = adapters;
        transport.Disconnected += (_, e) => _transportError = e?.Message;
        transport.Connected += (_, _) => _transportError = null;
    }

    /// <summary>Asks for a publication now (after a connect or a notable change).</summary>
    public void PublishSoon()
    {
        if (_soon.CurrentCount == 0)
        {
            try
            {
                _soon.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already asked.
            }
        }
    }

    /// <summary>Publishes the record periodically until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var transport = _transport ?? throw new InvalidOperationException("Attach the transport first");
        while (!cancellationToken.IsCancellationRequested)
        {
            await _soon.WaitAsync(_options.Health.Interval, cancellationToken).ConfigureAwait(false);
            if (!transport.IsConnected) continue;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(_options.Health.Interval);
                await transport.PublishStateAsync(Build("online"), timeout.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is MqttCommunicationException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                LogNotPublished(_logger, e.Message);
            }
        }
    }

    /// <summary>The record as JSON; <paramref name="status"/> is "online" or "offline".</summary>
    public byte[] Build(string status)
    {
        var now = _clock.GetCurrentInstant();
        var s = _buffer.GetStatistics();
        var oldest = s.Streams.Where(x => x.OldestUnacknowledgedAppendedAt is not null).Select(x => x.OldestUnacknowledgedAppendedAt!.Value).DefaultIfEmpty().Min();
        var transport = _transport;
        var adapters = _adapters?.Statuses() ?? [];
        var record = new AgentStateRecord
        {
            Agent = _options.Id,
            Status = status == "offline" ? AgentStatus.Offline : AgentStatus.Online,
            Version = AgentVersion.Text,
            Started = _started,
            At = now,
            UptimeSeconds = (long)(now - _started).TotalSeconds,
            Buffer = new AgentBufferState(
                s.Streams.Sum(x => x.UnacknowledgedBatches),
                s.Streams.Sum(x => x.UnacknowledgedBytes),
                oldest == default ? null : Math.Max(0, (_time.GetUtcNow() - oldest).TotalSeconds),
                s.UsedBytes,
                s.MaxBytes,
                s.Pressure switch
                {
                    Buffer.BufferPressure.Full => StatePressure.Full,
                    Buffer.BufferPressure.Thinning => StatePressure.Thinning,
                    _ => StatePressure.Normal,
                }),
            Dropped = new AgentDroppedCounts(_counters.ThinnedPoints, _counters.DroppedPoints, _counters.DroppedBatches),
            Adapters = adapters.Select(a => new StateAdapter(a.Device, a.Adapter, a.State switch
            {
                AdapterState.Ok => StateAdapterStatus.Ok,
                AdapterState.Degraded => StateAdapterStatus.Degraded,
                _ => StateAdapterStatus.Down,
            }, a.LastError)).ToList(),
            Transport = transport is null ? null : new TransportState(transport.Name, transport.IsConnected, _transportError),
            LastError = _counters.LastError,
            ClockUtc = now,
        };
        return AgentStateWriter.ToUtf8(record);
    }

    /// <inheritdoc/>
    public void Dispose() => _soon.Dispose();

    [LoggerMessage(Level = LogLevel.Debug, Message = "Health record not published: {Reason}")]
    private static partial void LogNotPublished(ILogger logger, string reason);
}
