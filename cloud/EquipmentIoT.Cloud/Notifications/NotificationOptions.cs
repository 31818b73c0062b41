using System.ComponentModel.DataAnnotations;

namespace EquipmentIoT.Cloud.Notifications;

/// <summary>
/// Notification settings, section "Notifications": the dispatcher, the retry policy and the three channels.
/// A channel is on when it is configured (<c>Sms:SendSmsUrl</c>, <c>Email:Host</c>, an entry under <c>Webhooks</c>).
/// Secrets are never in configuration: each is a file path (<c>PasswordFile</c>, <c>SecretFile</c>).
/// Durations are TimeSpans ("00:00:30").
/// </summary>
public sealed class NotificationOptions
{
    /// <summary>The configuration section name.</summary>
    public const string Section = "Notifications";

    /// <summary>Whether this instance sends (runs the dispatcher). An instance that only enqueues and serves the API may say false.</summary>
    public bool DispatcherEnabled { get; set; } = true;

    /// <summary>
    /// This instance's stable name in claims and attempt records. At start an instance takes back the messages it left
    /// in 'sending' under this name, so give each instance sharing records.db its own. Default: the host name.
    /// </summary>
    [Required, StringLength(64, MinimumLength = 1)]
    public string InstanceName { get; set; } = Environment.MachineName;

    /// <summary>How often the dispatcher looks for due messages when nothing wakes it (messages enqueued by another instance, retries).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Most messages claimed per look.</summary>
    [Range(1, 1000)]
    public int BatchSize { get; set; } = 32;

    /// <summary>Most messages handed to gateways at once by this instance.</summary>
    [Range(1, 64)]
    public int MaxConcurrentSends { get; set; } = 4;

    /// <summary>How long one send may take (connect, TLS, answer) before it counts as a transient failure.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a claim holds: a message in 'sending' longer than this is taken back by any instance (its dispatcher
    /// died) and sent again. Longer than <see cref="SendTimeout"/>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan SendingLease { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Backoff step before the first retry (doubling per attempt, with jitter).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan RetryInitialDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Cap on the backoff step.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "7.00:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Attempts in all before a message that keeps failing transiently becomes failed-permanently (it stays in the outbox
    /// and can be requeued). The default, 150, rides out a gateway outage of about a day at the 10-minute cap.
    /// </summary>
    [Range(1, 100_000)]
    public int MaxAttempts { get; set; } = 150;

    /// <summary>SMS through Kannel's smsbox.</summary>
    public KannelOptions Sms { get; set; } = new();

    /// <summary>E-mail through an SMTP relay.</summary>
    public SmtpOptions Email { get; set; } = new();

    /// <summary>Signed webhooks by name (the recipient of a webhook message is its name).</summary>
    public Dictionary<string, WebhookTarget> Webhooks { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>Section "Notifications:Sms": Kannel's HTTP sendsms interface (smsbox).</summary>
public sealed class KannelOptions
{
    /// <summary>The sendsms URL, <c>http://kannel:13013/cgi-bin/sendsms</c>. Unset: no SMS.</summary>
    public Uri? SendSmsUrl { get; set; }

    /// <summary>The sendsms-user's username.</summary>
    [StringLength(64)]
    public string? UserName { get; set; }

    /// <summary>A file holding the sendsms-user's password (read at each send, so it can be rotated).</summary>
    public string? PasswordFile { get; set; }

    /// <summary>The sender (<c>from</c>); unset: Kannel's global-sender or the sendsms-user's default.</summary>
    [StringLength(20)]
    public string? From { get; set; }

    /// <summary>
    /// The cloud's base URL as Kannel reaches it (<c>http://cloud.internal:8080</c>): delivery reports come back to
    /// <c>{base}/notifications/v1/sms/dlr/{id}/{token}</c>. Unset: no delivery reports are asked for.
    /// </summary>
    public Uri? DeliveryReportBaseUrl { get; set; }

    /// <summary>Which reports Kannel sends (dlr-mask): 1 delivered, 2 failed, 4 buffered, 8 SMSC submit, 16 SMSC reject.</summary>
    [Range(1, 31)]
    public int DeliveryReportMask { get; set; } = 31;

    /// <summary>Most SMS parts per message (longer texts are cut); Kannel's sendsms-user needs max-messages at least this and concatenation on.</summary>
    [Range(1, 10)]
    public int MaxParts { get; set; } = 3;

    /// <summary>Whether SMS is configured.</summary>
    public bool IsConfigured => SendSmsUrl is not null;
}

/// <summary>How the SMTP connection is protected.</summary>
public enum SmtpSecurity
{
    /// <summary>STARTTLS, and refuse to send when the server does not offer it.</summary>
    Required,

    /// <summary>STARTTLS when the server offers it, else plain text.</summary>
    Opportunistic,

    /// <summary>Plain text (a relay on the same host).</summary>
    None,

    /// <summary>TLS from the first byte (port 465, RFC 8314).</summary>
    Implicit,
}

/// <summary>Section "Notifications:Email": the SMTP relay.</summary>
public sealed class SmtpOptions
{
    /// <summary>The relay's host name. Unset: no e-mail.</summary>
    public string? Host { get; set; }

    /// <summary>The relay's port (587 submission, 25 relay, 465 implicit TLS).</summary>
    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    /// <summary>TLS: Required (default), Opportunistic, None or Implicit.</summary>
    public SmtpSecurity Security { get; set; } = SmtpSecurity.Required;

    /// <summary>Whether the server certificate's revocation is checked (needs the CA's CRL/OCSP servers reachable).</summary>
    public bool CheckCertificateRevocation { get; set; } = true;

    /// <summary>User name for SMTP AUTH; unset: no authentication.</summary>
    [StringLength(256)]
    public string? UserName { get; set; }

    /// <summary>A file holding the SMTP password.</summary>
    public string? PasswordFile { get; set; }

    /// <summary>The sender, <c>EquipmentIoT &lt;alerts@hospital.example&gt;</c> or a bare address.</summary>
    [StringLength(320)]
    public string? From { get; set; }

    /// <summary>Whether e-mail is configured.</summary>
    public bool IsConfigured => !string.IsNullOrEmpty(Host);
}

/// <summary>One webhook, "Notifications:Webhooks:{name}".</summary>
public sealed class WebhookTarget
{
    /// <summary>Where the JSON is POSTed (http or https).</summary>
    [Required]
    public Uri? Url { get; set; }

    /// <summary>A file holding the HMAC-SHA256 secret (its text, UTF-8, without the trailing newline).</summary>
    [Required]
    public string? SecretFile { get; set; }
}
