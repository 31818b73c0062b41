using System.Globalization;
using EquipmentIoT.Cloud.Notifications;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Text;

namespace EquipmentIoT.Cloud.Alarms;

/// <summary>
/// Turns alarm notices into outbox messages for the routes they match: one message per (alarm, notice, escalation
/// level, recipient) — the de-duplication key — so a notice handled twice (a retry, a second instance) is sent once;
/// quiet hours delay what is not critical; the outbox retries until the gateway takes it.
/// </summary>
public sealed partial class AlarmNotifier(INotificationOutbox outbox, IOptions<AlarmNotificationOptions> options, IClock clock,
    IServiceProvider services, ILogger<AlarmNotifier> logger) : IAlarmObserver
{
    private static readonly Dictionary<string, string> DefaultTemplates = new(StringComparer.OrdinalIgnoreCase)
    {
        ["raised.zh"] = "【设备告警·{severity}】{device}：{rule}。{reason}（{time}）",
        ["escalated.zh"] = "【告警升级·{severity}·第{level}级】{device}：{rule} 自 {raised} 起未确认。{reason}",
        ["flapping.zh"] = "【告警反复·{severity}】{device}：{rule} 在短时间内反复出现 {toggles} 次，已合并为一条告警。",
        ["resolved.zh"] = "【告警解除】{device}：{rule} 已恢复正常（{time}）。",
        ["raised.en"] = "[ALARM {severity}] {device}: {rule}. {reason} ({time})",
        ["escalated.en"] = "[ESCALATED {severity} L{level}] {device}: {rule} unacknowledged since {raised}. {reason}",
        ["flapping.en"] = "[FLAPPING {severity}] {device}: {rule} toggled {toggles} times; held as one alarm.",
        ["resolved.en"] = "[RESOLVED] {device}: {rule} is back to normal ({time}).",
    };

    private static readonly Dictionary<AlarmSeverity, string> SeverityZh = new()
    {
        [AlarmSeverity.Critical] = "紧急", [AlarmSeverity.Major] = "重要", [AlarmSeverity.Minor] = "一般", [AlarmSeverity.Warning] = "提示",
    };

    /// <inheritdoc/>
    public async Task OnAlarmAsync(AlarmNotice notice, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notice);
        var o = options.Value;
        var alarm = notice.Alarm;
        var now = clock.GetCurrentInstant();
        var recipients = new Dictionary<string, AlarmRoute>(StringComparer.Ordinal);
        foreach (var route in o.Routes.Where(r => Matches(r, alarm, notice.Kind)))
        {
            foreach (var recipient in RecipientsOf(route, alarm, o.Contacts)) recipients.TryAdd(recipient, route);
        }

        if (recipients.Count == 0) return;
        var kind = notice.Kind.ToString().ToLowerInvariant();
        var language = string.Equals(o.Language, "en", StringComparison.OrdinalIgnoreCase) ? "en" : "zh";
        // The rule runtime owns the alarm manager that calls us: looked up here, not injected, to keep the graph acyclic.
        var title = services.GetService<Rules.RuleRuntime>()?.Rules.FirstOrDefault(r => r.Id == alarm.RuleId)?.Title ?? alarm.RuleId;
        var text = Render(o.Templates.GetValueOrDefault($"{kind}.{language}") ?? DefaultTemplates[$"{kind}.{language}"], notice, title, language, now);
        foreach (var (recipient, route) in recipients)
        {
            var colon = recipient.IndexOf(':', StringComparison.Ordinal);
            if (NotificationText.ChannelOf(recipient[..Math.Max(colon, 0)]) is not { } channel)
            {
                LogBadRecipient(logger, route.Name, recipient);
                continue;
            }

            var notBefore = QuietHours.TryParse(route.QuietStart, route.QuietEnd, route.QuietZone, true, out var quiet, out _) && quiet is not null
                ? quiet.NotBefore(now, alarm.Severity == AlarmSeverity.Critical)
                : (Instant?)null;
            var subject = language == "zh" ? $"设备告警 {alarm.Device}" : $"Alarm {alarm.Device}";
            var key = $"alarm:{alarm.Id}:{kind}:{notice.Level ?? 0}:{recipient}";
            var result = await outbox.EnqueueAsync(new NotificationRequest(channel, recipient[(colon + 1)..], subject, text, key, notBefore),
                cancellationToken).ConfigureAwait(false);
            if (result.Error is not null) LogRefused(logger, alarm.Id, route.Name, result.Error);
        }
    }

    private static bool Matches(AlarmRoute route, Alarm alarm, AlarmNoticeKind kind) =>
        alarm.Severity <= route.MinSeverity
        && (route.Sites.Count == 0 || (alarm.Site is not null && route.Sites.Contains(alarm.Site, StringComparer.OrdinalIgnoreCase)))
        && (route.DeviceClasses.Count == 0 || (alarm.DeviceClass is not null && route.DeviceClasses.Contains(alarm.DeviceClass, StringComparer.OrdinalIgnoreCase)))
        && kind switch
        {
            AlarmNoticeKind.Resolved => route.OnResolved,
            AlarmNoticeKind.Escalated => route.OnEscalation,
            _ => true,
        };

    private static IEnumerable<string> RecipientsOf(AlarmRoute route, Alarm alarm, List<AlarmContact> contacts)
    {
        foreach (var r in route.Recipients) yield return r;
        foreach (var r in AlarmContact.Recipients(contacts, route.Roles, alarm.Site)) yield return r;
    }

    private static string Render(string template, AlarmNotice notice, string title, string language, Instant now)
    {
        var alarm = notice.Alarm;
        var time = InstantPattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd HH':'mm'Z'");
        return template
            .Replace("{severity}", language == "zh" ? SeverityZh[alarm.Severity] : alarm.Severity.ToString().ToUpperInvariant(), StringComparison.Ordinal)
            .Replace("{device}", alarm.Device, StringComparison.Ordinal)
            .Replace("{rule}", title, StringComparison.Ordinal)
            .Replace("{ruleId}", alarm.RuleId, StringComparison.Ordinal)
            .Replace("{reason}", alarm.Reason, StringComparison.Ordinal)
            .Replace("{value}", alarm.Value?.ToString("0.###", CultureInfo.InvariantCulture) ?? "", StringComparison.Ordinal)
            .Replace("{level}", (notice.Level ?? 0).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{toggles}", alarm.ToggleCount.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{raised}", time.Format(alarm.RaisedAt), StringComparison.Ordinal)
            .Replace("{time}", time.Format(now), StringComparison.Ordinal);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "alarm route {Route}: recipient '{Recipient}' is not sms:, email: or webhook:")]
    private static partial void LogBadRecipient(ILogger logger, string route, string recipient);

    [LoggerMessage(Level = LogLevel.Warning, Message = "alarm {AlarmId}, route {Route}: the outbox refused the message: {Reason}")]
    private static partial void LogRefused(ILogger logger, long alarmId, string route, string reason);
}

/// <summary>Registers alarm notifications: routes from "AlarmNotifications", the notifier as an alarm observer, rules fed from ingestion.</summary>
public static class AlarmNotificationServiceCollectionExtensions
{
    public static IServiceCollection AddAlarmNotifications(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<AlarmNotificationOptions>().BindConfiguration(AlarmNotificationOptions.Section);
        services.AddSingleton<IAlarmObserver, AlarmNotifier>();
        services.AddSingleton<Ingestion.IStoredBatchObserver, Rules.RuleIngestionObserver>();
        services.AddHostedService<Rules.IntegrityEventFeed>();
        return services;
    }
}
