using System.Net.Mail;
using System.Text.RegularExpressions;

namespace EquipmentIoT.Cloud.Notifications;

/// <summary>
/// What the outbox accepts. Requests come from rules, alarms and users' contact data, so a bad one is refused
/// with a reason (not an exception): recipients in their channel's form, no control characters where they could
/// break a header or a log line, sizes bounded.
/// </summary>
public static partial class NotificationRequestRules
{
    public const int MaxSubjectLength = 200;
    public const int MaxBodyLength = 16_000;
    public const int MaxKeyLength = 200;

    /// <summary>Null when <paramref name="request"/> is acceptable; else why not.</summary>
    /// <param name="request">The request.</param>
    /// <param name="isConfigured">Whether a channel is configured; a webhook recipient must be a configured webhook's name.</param>
    /// <param name="webhooks">The configured webhooks' names.</param>
    public static string? Check(NotificationRequest request, Func<NotificationChannel, bool> isConfigured, IReadOnlyCollection<string> webhooks)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(isConfigured);
        ArgumentNullException.ThrowIfNull(webhooks);
        if (!Enum.IsDefined(request.Channel)) return $"unknown channel {request.Channel}";
        if (!isConfigured(request.Channel)) return $"the {NotificationText.Of(request.Channel)} channel is not configured";
        if (string.IsNullOrEmpty(request.DeduplicationKey) || request.DeduplicationKey.Length > MaxKeyLength || HasControl(request.DeduplicationKey))
            return $"the de-duplication key must be 1 to {MaxKeyLength} characters without control characters";
        if (request.Subject is null || request.Subject.Length > MaxSubjectLength || HasControl(request.Subject))
            return $"the subject must be at most {MaxSubjectLength} characters on one line";
        if (request.Body is null || request.Body.Length > MaxBodyLength) return $"the body must be at most {MaxBodyLength} characters";
        if (request.Subject.Length == 0 && string.IsNullOrWhiteSpace(request.Body)) return "a notification needs a subject or a body";
        return CheckRecipient(request.Channel, request.Recipient, webhooks);
    }

    /// <summary>Null when <paramref name="recipient"/> has the form of <paramref name="channel"/>'s recipients; else why not.</summary>
    public static string? CheckRecipient(NotificationChannel channel, string? recipient, IReadOnlyCollection<string> webhooks)
    {
        ArgumentNullException.ThrowIfNull(webhooks);
        if (string.IsNullOrEmpty(recipient)) return "the recipient is missing";
        return channel switch
        {
            NotificationChannel.Sms when !E164().IsMatch(recipient) => "an SMS recipient is an E.164 number: '+', country code, number, at most 15 digits",
            NotificationChannel.Email when !IsMailAddress(recipient) => "an e-mail recipient is a bare address (name@domain)",
            NotificationChannel.Webhook when !webhooks.Contains(recipient) => $"no webhook named '{Printable(recipient)}' is configured",
            _ => null,
        };
    }

    /// <summary>ITU-T E.164: a country code that does not start with 0, at most 15 digits in all (§6.1); at least 7 to be a real number.</summary>
    [GeneratedRegex("^\\+[1-9][0-9]{6,14}$")]
    private static partial Regex E164();

    private static bool IsMailAddress(string text) =>
        text.Length <= 254 && !HasControl(text) && MailAddress.TryCreate(text, out var address)
        && address.DisplayName.Length == 0 && string.Equals(address.Address, text, StringComparison.Ordinal);

    private static bool HasControl(string text) => text.AsSpan().IndexOfAnyInRange('\0', '\u001f') >= 0 || text.Contains('\u007f', StringComparison.Ordinal);

    private static string Printable(string text) => text.Length > 64 || HasControl(text) ? "(unprintable)" : text;
}

/// <summary>
/// Recipients as logs show them: a phone number keeps its first six and last four characters (+86138****5678),
/// an e-mail address its first character and domain (z***@hospital.example); webhook names are not personal.
/// </summary>
public static class RecipientMask
{
    /// <summary>The masked form of <paramref name="recipient"/> of <paramref name="channel"/>.</summary>
    public static string Mask(NotificationChannel channel, string recipient)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        return channel switch
        {
            NotificationChannel.Sms => Phone(recipient),
            NotificationChannel.Email => Email(recipient),
            _ => recipient,
        };
    }

    /// <summary>+8613812345678 → +86138****5678; shorter numbers keep three and two.</summary>
    public static string Phone(string number)
    {
        ArgumentNullException.ThrowIfNull(number);
        if (number.Length >= 12) return string.Concat(number.AsSpan(0, 6), "****", number.AsSpan(number.Length - 4));
        if (number.Length >= 7) return string.Concat(number.AsSpan(0, 3), "****", number.AsSpan(number.Length - 2));
        return "****";
    }

    /// <summary>zhang.wei@hospital.example → z***@hospital.example.</summary>
    public static string Email(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var at = address.LastIndexOf('@');
        return at < 1 ? "***" : string.Concat(address.AsSpan(0, 1), "***", address.AsSpan(at));
    }
}
