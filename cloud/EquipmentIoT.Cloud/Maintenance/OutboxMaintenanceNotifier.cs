using EquipmentIoT.Cloud.Alarms;
using EquipmentIoT.Cloud.Notifications;
using Microsoft.Extensions.Options;
using NodaTime.Text;

namespace EquipmentIoT.Cloud.Maintenance;

/// <summary>
/// Maintenance notices into the notification outbox, to the contacts (AlarmNotifications:Contacts) whose role is in
/// <c>Maintenance:NotifyRoles</c> (default engineer) and who cover the device's site; Simplified Chinese unless the alarm
/// notifications' language is English. The de-duplication key makes each notice one message per recipient.
/// </summary>
public sealed class OutboxMaintenanceNotifier(INotificationOutbox outbox, IOptions<AlarmNotificationOptions> contacts, IOptions<MaintenanceOptions> options)
    : IMaintenanceNotifier
{
    private static readonly Dictionary<MaintenanceNoticeKind, string> Zh = new()
    {
        [MaintenanceNoticeKind.PlanReminder] = "【保养提醒】{device}：{title}，到期日 {due}。",
        [MaintenanceNoticeKind.WorkOrderOpened] = "【维修保养工单】{device}：{title}，工单已开立，请于 {due} 前完成。",
        [MaintenanceNoticeKind.WorkOrderOverdue] = "【工单逾期】{device}：{title}，已于 {due} 到期，尚未完成。",
        [MaintenanceNoticeKind.CalibrationReminder] = "【计量校准提醒】{device}：{title}，到期日 {due}。",
    };

    /// <inheritdoc/>
    public async Task NotifyAsync(MaintenanceNotice notice, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var english = string.Equals(contacts.Value.Language, "en", StringComparison.OrdinalIgnoreCase);
        var text = english ? notice.Message : Zh[notice.Kind].Replace("{device}", notice.Device, StringComparison.Ordinal)
            .Replace("{title}", notice.Title, StringComparison.Ordinal).Replace("{due}", LocalDatePattern.Iso.Format(notice.Due), StringComparison.Ordinal);
        var subject = english ? $"Maintenance {notice.Device}" : $"设备维护 {notice.Device}";
        var what = notice.WorkOrderId ?? notice.PlanId ?? notice.CalibrationId ?? 0;
        foreach (var recipient in AlarmContact.Recipients(contacts.Value.Contacts, options.Value.RolesToNotify(), notice.Site).Distinct(StringComparer.Ordinal))
        {
            var colon = recipient.IndexOf(':', StringComparison.Ordinal);
            var channel = NotificationText.ChannelOf(recipient[..colon])!.Value;
            var key = $"maintenance:{notice.Kind}:{what}:{LocalDatePattern.Iso.Format(notice.Due)}:{recipient}";
            var result = await outbox.EnqueueAsync(new NotificationRequest(channel, recipient[(colon + 1)..], subject, text, key), ct).ConfigureAwait(false);
            // The notice is recorded as sent only when this returns: a refusal makes the due job try again next run.
            if (result.Error is not null) throw new InvalidOperationException($"the outbox refused the maintenance notice for {recipient}: {result.Error}");
        }
    }
}
