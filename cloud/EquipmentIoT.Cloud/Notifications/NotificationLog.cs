using Microsoft.Extensions.Logging;

namespace EquipmentIoT.Cloud.Notifications;

/// <summary>
/// The notifications' log lines. Recipients are masked (<see cref="RecipientMask"/>); a message's body and
/// subject are never logged, nor any secret; gateway answers appear only in attempt details and at Debug.
/// </summary>
internal static partial class NotificationLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Notification {Id} ({Channel}) to {Recipient} enqueued, due {Due}")]
    public static partial void Enqueued(ILogger logger, long id, NotificationChannel channel, string recipient, NodaTime.Instant due);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a {Channel} notification: {Reason}")]
    public static partial void Refused(ILogger logger, NotificationChannel channel, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Notification {Id} ({Channel}) to {Recipient} sent (attempt {Attempt})")]
    public static partial void Sent(ILogger logger, long id, NotificationChannel channel, string recipient, int attempt);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Notification {Id}: the gateway answered {Detail}")]
    public static partial void GatewayAnswer(ILogger logger, long id, string? detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification {Id} ({Channel}) to {Recipient}: attempt {Attempt} failed ({Reason}); retrying in {Delay}")]
    public static partial void Retrying(ILogger logger, long id, NotificationChannel channel, string recipient, int attempt, string? reason, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "Notification {Id} ({Channel}) to {Recipient} failed permanently after {Attempt} attempt(s): {Reason}")]
    public static partial void FailedPermanently(ILogger logger, long id, NotificationChannel channel, string recipient, int attempt, string? reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification {Id}: its claim was taken back while sending (lease expired); the attempt is recorded, the status left to the new claim")]
    public static partial void ClaimLost(ILogger logger, long id);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Took back {Count} notification(s) left in 'sending' by a stopped dispatcher; they are sent again (at-least-once)")]
    public static partial void Recovered(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "The notification dispatcher failed ({Reason}); trying again in {Delay}")]
    public static partial void DispatcherFailed(ILogger logger, string reason, TimeSpan delay, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "The {Channel} sender threw for notification {Id}; counted as a transient failure")]
    public static partial void SenderThrew(ILogger logger, NotificationChannel channel, long id, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Notification {Id}: delivery report {Code} ({Meaning})")]
    public static partial void DeliveryReport(ILogger logger, long id, int code, string meaning);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a delivery report: {Reason}")]
    public static partial void DeliveryReportRefused(ILogger logger, string reason);
}
