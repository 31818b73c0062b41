using EquipmentIoT.EdgeAgent.Health;
using Microsoft.Extensions.Logging;

namespace EquipmentIoT.EdgeAgent.Collection;

/// <summary>
/// Runs every adapter and restarts one that fails, with backoff: a bug or an unexpected device in one
/// adapter shows up as "down" with its error in the health record, and never stops the agent or the
/// other adapters.
/// </summary>
public sealed partial class AdapterSupervisor
{
    private static readonly TimeSpan FirstRestart = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxRestart = TimeSpan.FromMinutes(1);

    private readonly IReadOnlyList<IDeviceAdapter> _adapters;
    // Keyed by adapter, not device: a device read through a profile with serial and Modbus sections has two adapters.
    private readonly Dictionary<IDeviceAdapter, string> _crashes = [];
    private readonly Lock _lock = new();
    private readonly AgentCounters _counters;
    private readonly TimeProvider _time;
    private readonly ILogger<AdapterSupervisor> _logger;

    /// <summary>Supervises <paramref name="adapters"/>.</summary>
    public AdapterSupervisor(IReadOnlyList<IDeviceAdapter> adapters, AgentCounters counters, TimeProvider time, ILogger<AdapterSupervisor> logger)
    {
        _adapters = adapters;
        _counters = counters;
        _time = time;
        _logger = logger;
    }

    /// <summary>Every adapter's status; an adapter that crashed shows as down with the crash.</summary>
    public IReadOnlyList<AdapterStatus> Statuses()
    {
        lock (_lock)
        {
            return _adapters.Select(a => _crashes.TryGetValue(a, out var crash)
                ? a.Status with { State = AdapterState.Down, LastError = crash }
                : a.Status).ToList();
        }
    }

    /// <summary>Runs all adapters until cancelled.</summary>
    public Task RunAsync(ITelemetrySink sink, CancellationToken cancellationToken) =>
        Task.WhenAll(_adapters.Select(a => Task.Run(() => SuperviseAsync(a, sink, cancellationToken), CancellationToken.None)));

    private async Task SuperviseAsync(IDeviceAdapter adapter, ITelemetrySink sink, CancellationToken cancellationToken)
    {
        var delay = FirstRestart;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await adapter.RunAsync(sink, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                var what = $"{adapter.Device}: adapter failed: {e.GetType().Name}: {e.Message}";
                lock (_lock) _crashes[adapter] = what;
                _counters.Error(_time, what);
                LogAdapterFailed(_logger, adapter.Device, delay, e);
            }

            try
            {
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            lock (_lock) _crashes.Remove(adapter);
            delay = TimeSpan.FromTicks(Math.Min(MaxRestart.Ticks, delay.Ticks * 2));
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Adapter of {Device} failed; restarting it in {Delay}")]
    private static partial void LogAdapterFailed(ILogger logger, string device, TimeSpan delay, Exception exception);
}
