using Microsoft.Extensions.Logging;
using NodaTime;
using Quartz;

namespace EquipmentIoT.Cloud.Licences;

/// <summary>
/// The Quartz job of the daily reminder run (<see cref="LicenceNoticeRunner"/>): a cron trigger at
/// <see cref="LicenceOptions.DailyAt"/> in <see cref="LicenceOptions.TimeZone"/>, misfire "fire once now and proceed"
/// (a leader that was down at that time runs as soon as it is back), and a run at every scheduler start so that a cloud
/// that was down catches up. Never two at once on one scheduler; two runs the same day are harmless (the run is idempotent).
/// </summary>
[DisallowConcurrentExecution]
public sealed class LicenceNoticeJob(LicenceNoticeRunner runner, IClock clock, ILogger<LicenceNoticeJob> logger) : IJob
{
    /// <summary>The job's key in the scheduler.</summary>
    public static readonly JobKey Key = new("licence-reminders", "licences");

    /// <summary>The daily trigger's key.</summary>
    public static readonly TriggerKey DailyTrigger = new("licence-reminders-daily", "licences");

    /// <inheritdoc/>
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (at, trigger) = (clock.GetCurrentInstant(), context.Trigger.Key);
        LicenceLog.JobFired(logger, at, trigger);
        await runner.RunAsync(cancellationToken).ConfigureAwait(false);
    }
}
