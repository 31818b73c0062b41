using NodaTime;

namespace EquipmentIoT.Cloud.Notifications.Outbox;

/// <summary>A message claimed by one dispatcher: what the channel sends, and the attempt it is.</summary>
/// <param name="Message">The message as claimed (status sending, its attempt counter already raised).</param>
/// <param name="Instance">The dispatcher instance holding the claim.</param>
/// <param name="ClaimedAt">When it was claimed (the attempt's start).</param>
/// <param name="DeliveryReportToken">The per-message secret of its delivery-report URL (SMS only), never shown by queries.</param>
public sealed record ClaimedNotification(NotificationMessage Message, string Instance, Instant ClaimedAt, string? DeliveryReportToken)
{
    /// <summary>The number of this attempt (1 for the first).</summary>
    public int Attempt => Message.Attempts;
}

/// <summary>How an attempt ended and where the message goes next.</summary>
/// <param name="Outcome">What the gateway said.</param>
/// <param name="Detail">The gateway's answer or the error, for the attempt record and <see cref="NotificationMessage.LastError"/>.</param>
/// <param name="GatewayMessageId">The gateway's id for the message, if any.</param>
/// <param name="Finished">When the outcome was known.</param>
/// <param name="NextStatus"><see cref="NotificationStatus.Sent"/>, <see cref="NotificationStatus.Pending"/> (retry) or <see cref="NotificationStatus.FailedPermanently"/>.</param>
/// <param name="NextAttempt">When pending: the earliest retry.</param>
public sealed record AttemptCompletion(
    AttemptOutcome Outcome, string? Detail, string? GatewayMessageId, Instant Finished, NotificationStatus NextStatus, Instant? NextAttempt);

/// <summary>What a delivery report did.</summary>
public enum DeliveryReportOutcome
{
    /// <summary>No message with this id and token (a guess, or a report for a deleted message).</summary>
    NotFound,

    /// <summary>Recorded; the message's status may have changed (delivered, failed).</summary>
    Recorded,
}

/// <summary>
/// The persistent outbox: messages, their attempts and delivery reports. Claims are single UPDATE statements
/// guarded by the status, so several dispatchers (cloud instances sharing the database) never send one message
/// at the same time. Delivery is at-least-once: a dispatcher that dies while sending leaves the message in
/// <see cref="NotificationStatus.Sending"/>, and <see cref="RecoverAsync"/> puts it back, so the gateway may see it twice.
/// </summary>
public interface INotificationStore
{
    /// <summary>Stores a validated request as pending (due at its not-before), or returns the message stored under the same key.</summary>
    Task<(NotificationMessage Message, bool Created)> EnqueueAsync(NotificationRequest request, Instant now, CancellationToken cancellationToken);

    /// <summary>Ids of pending messages due at <paramref name="now"/>, the longest-waiting first.</summary>
    Task<IReadOnlyList<long>> FindDueAsync(Instant now, int limit, CancellationToken cancellationToken);

    /// <summary>The earliest next attempt of any pending message; null when none is pending.</summary>
    Task<Instant?> NextDueAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Claims a due pending message for <paramref name="instance"/> (pending → sending, attempts + 1); null when it is no
    /// longer pending or due (another dispatcher claimed it first).
    /// </summary>
    Task<ClaimedNotification?> TryClaimAsync(long id, string instance, Instant now, CancellationToken cancellationToken);

    /// <summary>
    /// Records the attempt and moves the message on, if the claim still holds; a delivery report that arrived while
    /// sending keeps its status. Returns false when the claim was lost (recovered after the lease); the attempt is recorded anyway.
    /// </summary>
    Task<bool> CompleteAsync(ClaimedNotification claim, AttemptCompletion completion, CancellationToken cancellationToken);

    /// <summary>
    /// Puts messages left in sending back to pending (due at <paramref name="now"/>), recording an abandoned attempt:
    /// those claimed by <paramref name="instance"/> (it restarted, so it is not sending them) and those claimed at or
    /// before <paramref name="leaseExpiredBefore"/> by anyone (a dispatcher that died). Returns how many.
    /// </summary>
    /// <param name="instance">This instance's name, at its start; null: expired leases only.</param>
    /// <param name="leaseExpiredBefore">Claims made at or before this have expired.</param>
    /// <param name="now">The time of the recovery; the messages are due at once.</param>
    /// <param name="cancellationToken">Cancels the recovery.</param>
    Task<int> RecoverAsync(string? instance, Instant leaseExpiredBefore, Instant now, CancellationToken cancellationToken);

    /// <summary>
    /// Records a delivery report for message <paramref name="id"/> if <paramref name="token"/> is its delivery-report
    /// token; code 1 makes it delivered, 2 and 16 failed-permanently, unless it already reached one of those.
    /// </summary>
    Task<DeliveryReportOutcome> RecordDeliveryReportAsync(long id, string token, int code, Instant at, string? detail, Instant received,
        CancellationToken cancellationToken);

    /// <summary>Makes a failed message pending again with a fresh attempt budget; false when it is not failed-permanently.</summary>
    Task<bool> RequeueAsync(long id, Instant now, CancellationToken cancellationToken);

    /// <summary>One message with its attempts and reports; null when there is none with this id.</summary>
    Task<NotificationEntry?> GetAsync(long id, CancellationToken cancellationToken);

    /// <summary>Messages matching <paramref name="query"/>, newest first, each with its attempts and reports.</summary>
    Task<IReadOnlyList<NotificationEntry>> QueryAsync(NotificationQuery query, CancellationToken cancellationToken);
}
