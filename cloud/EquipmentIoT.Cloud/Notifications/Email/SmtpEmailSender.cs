using System.Globalization;
using System.Net.Sockets;
using System.Text;
using EquipmentIoT.Cloud.Notifications.Dispatch;
using EquipmentIoT.Cloud.Notifications.Outbox;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using NodaTime;

namespace EquipmentIoT.Cloud.Notifications.Email;

/// <summary>
/// E-mail through an SMTP relay with MailKit: one connection per message; STARTTLS per <see cref="SmtpOptions.Security"/>;
/// AUTH when a user is configured (password from a file); subject and body in UTF-8 (MimeKit writes the subject as
/// RFC 2047 encoded-words and the text part with charset=utf-8). The Message-ID is fixed per message, so that a
/// copy sent again after a lost answer (at-least-once) is recognisably the same mail; <c>Auto-Submitted:
/// auto-generated</c> (RFC 3834 §5) keeps vacation responders quiet. Reply codes: 4yz transient, 5yz permanent
/// (RFC 5321 §4.2.1); connection and protocol failures transient.
/// </summary>
public sealed class SmtpEmailSender(IOptions<NotificationOptions> options, IClock clock) : INotificationSender
{
    /// <inheritdoc/>
    public NotificationChannel Channel => NotificationChannel.Email;

    /// <inheritdoc/>
    public bool IsConfigured => options.Value.Email.IsConfigured;

    /// <inheritdoc/>
    public async Task<SendResult> SendAsync(ClaimedNotification claim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var smtp = options.Value.Email;
        if (string.IsNullOrEmpty(smtp.Host)) return SendResult.Transient("e-mail is not configured (Notifications:Email:Host)");
        if (!MailboxAddress.TryParse(smtp.From, out var from)) return SendResult.Permanent("Notifications:Email:From is not an address");
        string? password = null;
        if (!string.IsNullOrEmpty(smtp.UserName) && !SecretFile.TryRead(smtp.PasswordFile, out password, out var error)) return SendResult.Transient(error!);

        using var mail = Compose(claim, from, clock.GetCurrentInstant());
        using var client = new SmtpClient { CheckCertificateRevocation = smtp.CheckCertificateRevocation, Timeout = (int)options.Value.SendTimeout.TotalMilliseconds };
        try
        {
            await client.ConnectAsync(smtp.Host, smtp.Port, SocketOptions(smtp.Security), cancellationToken).ConfigureAwait(false);
            if (password is not null) await client.AuthenticateAsync(smtp.UserName!, password, cancellationToken).ConfigureAwait(false);
            var answer = await client.SendAsync(mail, cancellationToken).ConfigureAwait(false);
            await client.DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false);
            return SendResult.Sent($"SMTP: {answer}", answer);
        }
        catch (Exception e) when (Classify(e) is { } result)
        {
            return result;
        }
    }

    /// <summary>The message: From, To, Subject, Date, a stable Message-ID, Auto-Submitted, and the body as UTF-8 text/plain.</summary>
    public static MimeMessage Compose(ClaimedNotification claim, MailboxAddress from, Instant now)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(from);
        var message = claim.Message;
        var mail = new MimeMessage();
        mail.From.Add(from);
        mail.To.Add(MailboxAddress.Parse(message.Recipient));
        mail.Subject = message.Subject;
        mail.Date = now.ToDateTimeOffset();
        var domain = from.Domain.Length > 0 ? from.Domain : "eqiot.invalid";
        mail.MessageId = $"eqiot-notification-{message.Id.ToString(CultureInfo.InvariantCulture)}.{message.Created.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}@{domain}";
        mail.Headers.Add("Auto-Submitted", "auto-generated");
        var text = new TextPart(MimeKit.Text.TextFormat.Plain);
        text.SetText(Encoding.UTF8, message.Body);
        mail.Body = text;
        return mail;
    }

    /// <summary>What an SMTP failure means for the message; null for an exception that is not an SMTP or I/O failure (a bug).</summary>
    public static SendResult? Classify(Exception exception) => exception switch
    {
        SmtpCommandException { StatusCode: var code } e when (int)code is >= 500 and <= 599 => SendResult.Permanent($"SMTP {(int)code}: {e.Message}"),
        SmtpCommandException { StatusCode: var code } e => SendResult.Transient($"SMTP {(int)code}: {e.Message}"),
        AuthenticationException e => SendResult.Permanent($"SMTP authentication refused: {e.Message}"),
        // STARTTLS required but not offered: perhaps a misconfigured relay, perhaps a downgrade on the path. Neither lasts for ever.
        NotSupportedException e => SendResult.Transient($"SMTP: {e.Message}"),
        SslHandshakeException e => SendResult.Transient($"SMTP TLS handshake failed: {e.Message}"),
        SmtpProtocolException or ServiceNotConnectedException or IOException or SocketException => SendResult.Transient($"SMTP: {exception.Message}"),
        _ => null,
    };

    private static SecureSocketOptions SocketOptions(SmtpSecurity security) => security switch
    {
        SmtpSecurity.Required => SecureSocketOptions.StartTls,
        SmtpSecurity.Opportunistic => SecureSocketOptions.StartTlsWhenAvailable,
        SmtpSecurity.None => SecureSocketOptions.None,
        SmtpSecurity.Implicit => SecureSocketOptions.SslOnConnect,
        _ => throw new ArgumentOutOfRangeException(nameof(security), security, "unknown SMTP security"),
    };
}
