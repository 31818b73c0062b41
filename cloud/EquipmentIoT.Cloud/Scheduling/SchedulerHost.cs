using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;

namespace EquipmentIoT.Cloud.Scheduling;

/// <summary>
/// Quartz's hosted service (it creates, binds and shuts down the schedulers, waiting for running jobs) with our
/// start-up around it, through the lifecycle hooks Quartz offers for exactly this:
/// <list type="number">
/// <item><see cref="StartingAsync"/> (before any hosted service starts): scheduler.db's migration, so that Quartz's
/// schema validation finds its tables whatever order the hosted services were registered in.</item>
/// <item><see cref="QuartzHostedService.StartAsync"/>: Quartz creates the scheduler in standby
/// (<see cref="QuartzHostedServiceOptions.AutoStart"/> is off: we decide when it fires).</item>
/// <item><see cref="StartedAsync"/>: the leadership loop — start the scheduler once this instance holds
/// <see cref="SchedulerLeadership"/>; until then stand by and try again every
/// <see cref="SchedulingOptions.LeaderPollInterval"/>.</item>
/// <item>Stopping: the loop ends, Quartz shuts the scheduler down (waiting for running jobs), then the lead is given up.</item>
/// </list>
/// </summary>
public sealed class SchedulerHost : QuartzHostedService, IDisposable
{
    private readonly SchedulerDatabase _database;
    private readonly SchedulerLeadership _leadership;
    private readonly SchedulingOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<SchedulerHost> _logger;
    private readonly CancellationTokenSource _stopping = new();
    private Task _leading = Task.CompletedTask;

    public SchedulerHost(IHostApplicationLifetime lifetime, IServiceProvider services, IOptionsMonitor<QuartzHostedServiceOptions> hostedOptions,
        SchedulerDatabase database, SchedulerLeadership leadership, IOptions<SchedulingOptions> options, TimeProvider time, ILogger<SchedulerHost> logger)
        : base(lifetime, services, hostedOptions)
    {
        ArgumentNullException.ThrowIfNull(options);
        _database = database;
        _leadership = leadership;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    /// <summary>Completes when this instance has started its scheduler (for tests and health reporting).</summary>
    public Task Leading => _leading;

    /// <inheritdoc/>
    public override async Task StartingAsync(CancellationToken cancellationToken)
    {
        await _database.InitializeAsync(cancellationToken).ConfigureAwait(false);
        await base.StartingAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override async Task StartedAsync(CancellationToken cancellationToken)
    {
        await base.StartedAsync(cancellationToken).ConfigureAwait(false);
        _leading = LeadAsync(Schedulers, _stopping.Token);
    }

    /// <inheritdoc/>
    public override async Task StoppingAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await _leading.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Stopped while standing by.
        }

        await base.StoppingAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public override async Task StoppedAsync(CancellationToken cancellationToken)
    {
        // Quartz has shut the scheduler down (and waited for its jobs): only now may a successor start firing.
        _leadership.Release();
        await base.StoppedAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task LeadAsync(IReadOnlyList<IScheduler> schedulers, CancellationToken cancellationToken)
    {
        // Yield first: StartedAsync returns to the host at once whatever the lock says.
        await Task.Yield();
        var interval = _options.LeaderPollInterval;
        var name = string.Join(", ", schedulers.Select(s => s.SchedulerName));
        var toldStandby = false;
        while (true)
        {
            try
            {
                if (_leadership.TryAcquire())
                {
                    foreach (var scheduler in schedulers) await scheduler.Start(cancellationToken).ConfigureAwait(false);
                    SchedulingLog.Leading(_logger, name, _leadership.Path);
                    return;
                }

                if (!toldStandby) SchedulingLog.StandingBy(_logger, name, _leadership.Path, interval);
                toldStandby = true;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // A scheduler that failed to start must not keep the lead from a healthy instance.
                _leadership.Release();
                SchedulingLog.LeadFailed(_logger, ex, interval);
            }

            await Task.Delay(interval, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose() => _stopping.Dispose();
}
