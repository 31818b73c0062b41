using Quartz;

namespace EquipmentIoT.Cloud.Maintenance;

/// <summary>
/// The Quartz job of the due computation: runs <see cref="MaintenanceDueService.RunAsync"/> (the same method the API's "run now" calls).
/// One run at a time across the cluster (<see cref="DisallowConcurrentExecutionAttribute"/>); a run that overlaps another instance's
/// would still be harmless, as the store keeps occurrences and notices to one each.
/// </summary>
[DisallowConcurrentExecution]
public sealed class MaintenanceDueJob(MaintenanceDueService service) : IJob
{
    /// <summary>The job's key in the scheduler (stable: a persistent store recognises it across restarts).</summary>
    public static readonly JobKey Key = new("maintenance-due", "maintenance");

    /// <summary>The key of its repeating trigger.</summary>
    public static readonly TriggerKey TriggerKey = new("maintenance-due-hourly", "maintenance");

    /// <inheritdoc/>
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Result = await service.RunAsync(cancellationToken).ConfigureAwait(false);
    }
}
