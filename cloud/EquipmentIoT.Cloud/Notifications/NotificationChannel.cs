namespace EquipmentIoT.Cloud.Notifications;

/// <summary>How a notification reaches a person or a system.</summary>
public enum NotificationChannel
{
    /// <summary>A text message through the Kannel SMS gateway; the recipient is an E.164 phone number.</summary>
    Sms,

    /// <summary>An e-mail through the configured SMTP relay; the recipient is an address.</summary>
    Email,

    /// <summary>A signed JSON POST; the recipient is the name of a configured webhook.</summary>
    Webhook,
}

/// <summary>Where a message is in its life: pending → sending → sent → delivered, or failed-permanently.</summary>
public enum NotificationStatus
{
    /// <summary>Waiting for its next attempt (its first, or a retry after a transient failure).</summary>
    Pending,

    /// <summary>Claimed by one dispatcher, which is handing it to the gateway now.</summary>
    Sending,

    /// <summary>The gateway (Kannel, the SMTP relay, the webhook) accepted it.</summary>
    Sent,

    /// <summary>The gateway reported that it reached the phone (SMS delivery report).</summary>
    Delivered,

    /// <summary>Refused for good, reported undeliverable, or out of attempts; kept, and can be requeued.</summary>
    FailedPermanently,
}

/// <summary>What became of one delivery attempt.</summary>
public enum AttemptOutcome
{
    /// <summary>The gateway accepted the message.</summary>
    Sent,

    /// <summary>A failure that may pass (gateway down, 5xx, timeout): retried after a backoff.</summary>
    Transient,

    /// <summary>A refusal that will not pass (4xx, a bad recipient): not retried.</summary>
    Permanent,

    /// <summary>The dispatcher stopped (crash, lost lease) while sending: the message was put back, its fate unknown.</summary>
    Abandoned,
}

/// <summary>The lower-case names stored in records.db and shown by the API.</summary>
public static class NotificationText
{
    /// <summary>"sms", "email", "webhook".</summary>
    public static string Of(NotificationChannel channel) => channel switch
    {
        NotificationChannel.Sms => "sms",
        NotificationChannel.Email => "email",
        NotificationChannel.Webhook => "webhook",
        _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, "unknown channel"),
    };

    /// <summary>"pending", "sending", "sent", "delivered", "failed-permanently".</summary>
    public static string Of(NotificationStatus status) => status switch
    {
        NotificationStatus.Pending => "pending",
        NotificationStatus.Sending => "sending",
        NotificationStatus.Sent => "sent",
        NotificationStatus.Delivered => "delivered",
        NotificationStatus.FailedPermanently => "failed-permanently",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "unknown status"),
    };

    /// <summary>"sent", "transient", "permanent", "abandoned".</summary>
    public static string Of(AttemptOutcome outcome) => outcome switch
    {
        AttemptOutcome.Sent => "sent",
        AttemptOutcome.Transient => "transient",
        AttemptOutcome.Permanent => "permanent",
        AttemptOutcome.Abandoned => "abandoned",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "unknown outcome"),
    };

    /// <summary>The channel of a stored or requested name; null when it is none of them.</summary>
    public static NotificationChannel? ChannelOf(string? text) => text switch
    {
        "sms" => NotificationChannel.Sms,
        "email" => NotificationChannel.Email,
        "webhook" => NotificationChannel.Webhook,
        _ => null,
    };

    /// <summary>The status of a stored or requested name; null when it is none of them.</summary>
    public static NotificationStatus? StatusOf(string? text) => text switch
    {
        "pending" => NotificationStatus.Pending,
        "sending" => NotificationStatus.Sending,
        "sent" => NotificationStatus.Sent,
        "delivered" => NotificationStatus.Delivered,
        "failed-permanently" => NotificationStatus.FailedPermanently,
        _ => null,
    };

    /// <summary>The outcome of a stored name; null when it is none of them.</summary>
    public static AttemptOutcome? OutcomeOf(string? text) => text switch
    {
        "sent" => AttemptOutcome.Sent,
        "transient" => AttemptOutcome.Transient,
        "permanent" => AttemptOutcome.Permanent,
        "abandoned" => AttemptOutcome.Abandoned,
        _ => null,
    };
}
