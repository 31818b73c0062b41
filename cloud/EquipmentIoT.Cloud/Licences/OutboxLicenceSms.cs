using System.Globalization;
using EquipmentIoT.Cloud.Notifications;

namespace EquipmentIoT.Cloud.Licences;

/// <summary>
/// Licence reminders into the notification outbox as SMS (delivered through Kannel, retried, de-duplicated by key).
/// A refusal (the SMS channel is not configured, the text is too long) is thrown: the reminder stays pending with the
/// reason and the next run tries again.
/// </summary>
public sealed class OutboxLicenceSms(INotificationOutbox outbox) : ILicenceSms
{
    /// <inheritdoc/>
    public async Task<string> EnqueueAsync(string phoneE164, string text, string dedupKey, CancellationToken ct)
    {
        var result = await outbox.EnqueueAsync(new NotificationRequest(NotificationChannel.Sms, phoneE164, "", text, dedupKey), ct).ConfigureAwait(false);
        return result.Message is { } message
            ? message.Id.ToString(CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"the notification outbox refused the reminder: {result.Error}");
    }
}
