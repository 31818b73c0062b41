using EquipmentIoT.Cloud.Alarms;
using EquipmentIoT.Cloud.Rules;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EquipmentIoT.Cloud.Maintenance;

/// <summary>
/// Opens one repair work order when an alarm of a repair rule (<see cref="MaintenanceOptions.RepairRules"/>) is raised for a device.
/// Escalation, flapping and resolution of the same alarm open nothing, and neither does a second "raised" of it (a redelivered notice):
/// an alarm gets at most one work order from here, and the store refuses a second open one for it from anywhere.
/// </summary>
public sealed partial class RepairOrderObserver(WorkOrderService workOrders, IOptionsMonitor<MaintenanceOptions> options, ILogger<RepairOrderObserver> logger)
    : IAlarmObserver
{
    /// <inheritdoc/>
    public async Task OnAlarmAsync(AlarmNotice notice, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var alarm = notice.Alarm;
        if (notice.Kind != AlarmNoticeKind.Raised || alarm.SubjectKind != RuleSubjectKind.Device || !options.CurrentValue.IsRepairRule(alarm.RuleId)) return;
        var opened = await workOrders.OpenRepairForAlarmAsync(alarm, cancellationToken).ConfigureAwait(false);
        if (opened is not null) Opened(logger, opened.Id, alarm.Id, alarm.RuleId, alarm.Device);
    }

    [LoggerMessage(EventId = 5405, Level = LogLevel.Information, Message = "Repair work order {WorkOrderId} opened for alarm {AlarmId} ({RuleId}) on {Device}")]
    private static partial void Opened(ILogger logger, long workOrderId, long alarmId, string ruleId, string device);
}
