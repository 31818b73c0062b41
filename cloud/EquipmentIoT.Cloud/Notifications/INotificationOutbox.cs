using EquipmentIoT.Cloud.Notifications.Dispatch;
using EquipmentIoT.Cloud.Notifications.Outbox;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;

namespace EquipmentIoT.Cloud.Notifications;

/// <summary>Where rules, alarms and licence checks hand notifications in. Delivery is at-least-once and survives restarts.</summary>
public interface INotificationOutbox
{
    /// <summary>
    /// Checks and stores <paramref name="request"/> (or finds the message stored under its key) and wakes this instance's
    /// dispatcher. A refused request (bad recipient, unconfigured channel, oversize text) comes back with the reason.
    /// </summary>
    Task<EnqueueResult> EnqueueAsync(NotificationRequest request, CancellationToken cancellationToken);
}

/// <summary>The outbox: <see cref="NotificationRequestRules"/>, then the store, then a wake-up for the dispatcher.</summary>
public sealed class NotificationOutbox(
    INotificationStore store, IEnumerable<INotificationSender> senders, IOptions<NotificationOptions> options, IClock clock, NotificationSignal signal,
    ILogger<NotificationOutbox> logger) : INotificationOutbox
{
    private readonly Dictionary<NotificationChannel, INotificationSender> _senders = senders.ToDictionary(s => s.Channel);

    /// <inheritdoc/>
    public async Task<EnqueueResult> EnqueueAsync(NotificationRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var error = NotificationRequestRules.Check(request, c => _senders.TryGetValue(c, out var s) && s.IsConfigured, options.Value.Webhooks.Keys);
        if (error is not null)
        {
            NotificationLog.Refused(logger, request.Channel, error);
            return EnqueueResult.Refused(error);
        }
        var (message, created) = await store.EnqueueAsync(request, clock.GetCurrentInstant(), cancellationToken).ConfigureAwait(false);
        if (created)
        {
            var recipient = RecipientMask.Mask(message.Channel, message.Recipient);
            NotificationLog.Enqueued(logger, message.Id, message.Channel, recipient, message.NextAttempt);
            signal.Notify();
        }
        return EnqueueResult.Stored(message, created);
    }
}
