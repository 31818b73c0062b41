namespace EquipmentIoT.Cloud.Licences;

/// <summary>
/// Where licence reminders go: the notification outbox (SMS through Kannel), bound by the host. The outbox, not this
/// caller, delivers and retries; this only hands a message over.
/// </summary>
public interface ILicenceSms
{
    /// <summary>
    /// Queues one SMS and returns the outbox's message id. <paramref name="dedupKey"/> names the reminder
    /// (<c>licence:{id}:{deadline}:{band}:{escalation}:{phone}</c>): handing the same key over twice must queue one
    /// message and return its id again, so that a reminder retried after a crash between queueing and recording is
    /// not sent twice.
    /// </summary>
    Task<string> EnqueueAsync(string phoneE164, string text, string dedupKey, CancellationToken ct);
}
