using NodaTime;

namespace EquipmentIoT.Cloud.Notifications;

/// <summary>What a caller (rules, alarms, licences) asks to be sent.</summary>
/// <param name="Channel">How.</param>
/// <param name="Recipient">An E.164 phone number (+8613812345678), an e-mail address, or a configured webhook's name.</param>
/// <param name="Subject">The e-mail subject; the first line of an SMS; "subject" in a webhook's JSON. May be empty.</param>
/// <param name="Body">The text (UTF-8, Chinese included).</param>
/// <param name="DeduplicationKey">
/// The caller's idempotency key ("alarm:4711:raised:sms:+8613812345678"): enqueuing the same key again changes nothing
/// and returns the message stored the first time, whatever the new request says.
/// </param>
/// <param name="NotBefore">The earliest instant to send (quiet hours, see <see cref="QuietHours"/>); null: at once.</param>
public sealed record NotificationRequest(
    NotificationChannel Channel, string Recipient, string Subject, string Body, string DeduplicationKey, Instant? NotBefore = null);

/// <summary>One message of the outbox as stored.</summary>
public sealed record NotificationMessage(
    long Id,
    NotificationChannel Channel,
    string Recipient,
    string Subject,
    string Body,
    string DeduplicationKey,
    Instant Created,
    Instant NotBefore,
    NotificationStatus Status,
    int Attempts,
    Instant NextAttempt,
    string? LastError,
    string? GatewayMessageId,
    Instant? SentAt,
    Instant? DeliveredAt,
    Instant? FailedAt);

/// <summary>One delivery attempt: who tried, when, and what the gateway said.</summary>
/// <param name="MessageId">The message.</param>
/// <param name="Number">1 for the first attempt; the message's attempt counter when it was claimed.</param>
/// <param name="Instance">The cloud instance (<see cref="NotificationOptions.InstanceName"/>) that tried.</param>
/// <param name="Started">When the dispatcher claimed the message.</param>
/// <param name="Finished">When the outcome was known (or, for <see cref="AttemptOutcome.Abandoned"/>, when the claim was recovered).</param>
/// <param name="Outcome">What became of it.</param>
/// <param name="Detail">The gateway's answer or the error (never a secret).</param>
/// <param name="GatewayMessageId">The gateway's id for the message, when it gave one (the SMTP relay's queue answer).</param>
public sealed record DeliveryAttempt(
    long MessageId, int Number, string Instance, Instant Started, Instant Finished, AttemptOutcome Outcome, string? Detail, string? GatewayMessageId);

/// <summary>A delivery report from the gateway (Kannel's dlr-url callback).</summary>
/// <param name="MessageId">The message.</param>
/// <param name="Code">Kannel's <c>%d</c>: 1 delivered, 2 failed, 4 buffered, 8 SMSC submit, 16 SMSC reject.</param>
/// <param name="At">The gateway's time of the event (<c>%T</c>), else when it was received.</param>
/// <param name="Received">When the cloud received it.</param>
/// <param name="Detail">The gateway's text (<c>%A</c>), shortened.</param>
public sealed record DeliveryReport(long MessageId, int Code, Instant At, Instant Received, string? Detail);

/// <summary>A message with its attempts and delivery reports, oldest first.</summary>
public sealed record NotificationEntry(NotificationMessage Message, IReadOnlyList<DeliveryAttempt> Attempts, IReadOnlyList<DeliveryReport> Reports);

/// <summary>
/// A filter over the outbox; every given criterion must hold. Newest first (by id), at most <see cref="Limit"/>;
/// page with <see cref="BeforeId"/> = the last id seen.
/// </summary>
public sealed record NotificationQuery
{
    /// <summary>The most a query returns.</summary>
    public const int MaxLimit = 1000;

    public NotificationStatus? Status { get; init; }

    public NotificationChannel? Channel { get; init; }

    /// <summary>Exactly this recipient.</summary>
    public string? Recipient { get; init; }

    /// <summary>Exactly this de-duplication key.</summary>
    public string? DeduplicationKey { get; init; }

    /// <summary>Created at or after.</summary>
    public Instant? CreatedFrom { get; init; }

    /// <summary>Created before.</summary>
    public Instant? CreatedTo { get; init; }

    /// <summary>Only ids below this (paging).</summary>
    public long? BeforeId { get; init; }

    /// <summary>1 to <see cref="MaxLimit"/>.</summary>
    public int Limit { get; init; } = 100;
}

/// <summary>What enqueuing did: stored a new message, found the one with the same key, or refused the request (with the reason).</summary>
public sealed record EnqueueResult
{
    private EnqueueResult(NotificationMessage? message, bool created, string? error)
    {
        Message = message;
        Created = created;
        Error = error;
    }

    /// <summary>The stored message (new or existing); null when refused.</summary>
    public NotificationMessage? Message { get; }

    /// <summary>True when this call stored it; false when the key was known (or the request was refused).</summary>
    public bool Created { get; }

    /// <summary>Why the request was refused; null when it was accepted.</summary>
    public string? Error { get; }

    /// <summary>Whether the request was accepted (new or duplicate).</summary>
    public bool Accepted => Error is null;

    public static EnqueueResult Stored(NotificationMessage message, bool created) => new(message ?? throw new ArgumentNullException(nameof(message)), created, null);

    public static EnqueueResult Refused(string reason) => new(null, false, reason);
}
