namespace EquipmentIoT.Cloud.Notifications.Dispatch;

/// <summary>What a channel says about one send: accepted, a failure worth retrying, or a refusal that will not pass.</summary>
public sealed record SendResult
{
    private SendResult(AttemptOutcome outcome, string? detail, string? gatewayMessageId)
    {
        Outcome = outcome;
        Detail = detail;
        GatewayMessageId = gatewayMessageId;
    }

    /// <summary><see cref="AttemptOutcome.Sent"/>, <see cref="AttemptOutcome.Transient"/> or <see cref="AttemptOutcome.Permanent"/>.</summary>
    public AttemptOutcome Outcome { get; }

    /// <summary>The gateway's answer or the error, shortened; never a secret.</summary>
    public string? Detail { get; }

    /// <summary>The gateway's id for the message, when it gave one.</summary>
    public string? GatewayMessageId { get; }

    /// <summary>Longest detail kept.</summary>
    public const int MaxDetailLength = 500;

    public static SendResult Sent(string? detail, string? gatewayMessageId = null) => new(AttemptOutcome.Sent, Shorten(detail), Shorten(gatewayMessageId));

    public static SendResult Transient(string reason) => new(AttemptOutcome.Transient, Shorten(reason), null);

    public static SendResult Permanent(string reason) => new(AttemptOutcome.Permanent, Shorten(reason), null);

    private static string? Shorten(string? text)
    {
        if (text is null) return null;
        text = text.Trim();
        return text.Length <= MaxDetailLength ? text : text[..MaxDetailLength];
    }
}

/// <summary>
/// How HTTP answers are classified for every HTTP channel (Kannel's sendsms, webhooks): 2xx accepted; 408
/// (request timeout) and 429 (too many requests) transient like every 5xx (RFC 9110 §15.5.9, RFC 6585 §4);
/// every other 4xx permanent (the request itself is wrong and sending it again changes nothing); 1xx and 3xx
/// permanent too (redirects are not followed: configure the final URL).
/// </summary>
public static class HttpClassification
{
    /// <summary>The outcome of an answer with <paramref name="statusCode"/>; <paramref name="what"/> names the peer and its text for the detail.</summary>
    public static SendResult Classify(int statusCode, string what) => statusCode switch
    {
        >= 200 and <= 299 => SendResult.Sent($"{statusCode} {what}"),
        408 or 429 or (>= 500 and <= 599) => SendResult.Transient($"HTTP {statusCode}: {what}"),
        _ => SendResult.Permanent($"HTTP {statusCode}: {what}"),
    };
}
