using EquipmentIoT.Cloud.Notifications.Outbox;

namespace EquipmentIoT.Cloud.Notifications.Dispatch;

/// <summary>
/// Hands a message to one channel's gateway. Returns a <see cref="SendResult"/> for every answer and every I/O
/// failure (unreachable gateway, refused connection, bad status); exceptions are for bugs, and cancellation
/// (timeout, shutdown) throws <see cref="OperationCanceledException"/>.
/// </summary>
public interface INotificationSender
{
    /// <summary>The channel this sender serves.</summary>
    NotificationChannel Channel { get; }

    /// <summary>Whether the channel is configured (enqueuing for an unconfigured channel is refused).</summary>
    bool IsConfigured { get; }

    /// <summary>Sends one attempt of <paramref name="claim"/>.</summary>
    Task<SendResult> SendAsync(ClaimedNotification claim, CancellationToken cancellationToken);
}
