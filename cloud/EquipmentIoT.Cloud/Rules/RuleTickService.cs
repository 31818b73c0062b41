using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EquipmentIoT.Cloud.Rules;

/// <summary>
/// Ticks the rules and alarms every <see cref="RulesOptions.TickInterval"/>, saves the engine's state every
/// <see cref="RulesOptions.SnapshotInterval"/> and when the host stops, and rereads device classes every
/// <see cref="RulesOptions.DeviceRefreshInterval"/>. A failed tick is logged and the next one tries again.
/// </summary>
public sealed class RuleTickService(RuleRuntime runtime, TimeProvider time, IOptions<RulesOptions> options, ILogger<RuleTickService> logger)
    : BackgroundService
{
    /// <inheritdoc/>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        // Nothing to save when it never started (the stores failed, say): saving would load the rules just to write them back.
        if (runtime.IsInitialized) await runtime.SaveSnapshotAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var o = options.Value;
        await runtime.InitializeAsync(stoppingToken).ConfigureAwait(false);
        using var timer = new PeriodicTimer(o.TickInterval, time);
        var lastSnapshot = time.GetTimestamp();
        var lastRefresh = lastSnapshot;
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await runtime.TickAsync(stoppingToken).ConfigureAwait(false);
                if (time.GetElapsedTime(lastSnapshot) >= o.SnapshotInterval)
                {
                    await runtime.SaveSnapshotAsync(stoppingToken).ConfigureAwait(false);
                    lastSnapshot = time.GetTimestamp();
                }

                if (time.GetElapsedTime(lastRefresh) >= o.DeviceRefreshInterval)
                {
                    await runtime.RefreshDevicesAsync(stoppingToken).ConfigureAwait(false);
                    lastRefresh = time.GetTimestamp();
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                RulesLog.TickFailed(logger, e);
            }
        }
    }
}
