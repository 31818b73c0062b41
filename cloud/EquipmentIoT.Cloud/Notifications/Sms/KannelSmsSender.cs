using System.Globalization;
using System.Text;
using EquipmentIoT.Cloud.Notifications.Dispatch;
using EquipmentIoT.Cloud.Notifications.Outbox;
using Microsoft.Extensions.Options;

namespace EquipmentIoT.Cloud.Notifications.Sms;

/// <summary>
/// SMS through Kannel's smsbox HTTP interface: <c>GET /cgi-bin/sendsms?username=…&amp;password=…&amp;to=…&amp;text=…</c>
/// with <c>charset=UTF-8</c> and <c>coding</c> 0 (GSM 7-bit) or 2 (UCS-2, for Chinese), so smsbox converts the UTF-8
/// text itself (Kannel user guide, "Sending SMS messages" — the sendsms CGI parameters). Kannel answers 202
/// "0: Accepted for delivery" or "3: Queued for later delivery" (bearerbox holds it while the SMSC is away), 4xx when the
/// request is wrong or the credentials are refused, 503 when it cannot take it now; classified by <see cref="HttpClassification"/>.
/// A refused connection (smsbox or bearerbox down) is transient. The password travels in the query string, as the
/// interface wants, so the URL is never logged (the client's own request logging is removed at registration).
/// </summary>
public sealed class KannelSmsSender(IHttpClientFactory httpClients, IOptions<NotificationOptions> options) : INotificationSender
{
    /// <summary>The named HttpClient (no redirects, no request logging, small response buffer).</summary>
    public const string HttpClientName = "eqiot-notifications-kannel";

    /// <summary>The path of the delivery-report endpoint below the cloud's base URL; <c>{id}/{token}</c> follow.</summary>
    public const string DeliveryReportPath = "notifications/v1/sms/dlr";

    /// <inheritdoc/>
    public NotificationChannel Channel => NotificationChannel.Sms;

    /// <inheritdoc/>
    public bool IsConfigured => options.Value.Sms.IsConfigured;

    /// <inheritdoc/>
    public async Task<SendResult> SendAsync(ClaimedNotification claim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var sms = options.Value.Sms;
        if (sms.SendSmsUrl is not { } url) return SendResult.Transient("SMS is not configured (Notifications:Sms:SendSmsUrl)");
        if (!SecretFile.TryRead(sms.PasswordFile, out var password, out var error)) return SendResult.Transient(error!);

        var payload = SmsText.Fit(SmsText.Compose(claim.Message.Subject, claim.Message.Body), sms.MaxParts);
        var request = BuildUri(url, sms, password, claim, payload);
        using var client = httpClients.CreateClient(HttpClientName);
        try
        {
            using var response = await client.GetAsync(request, cancellationToken).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var answer = text.ReplaceLineEndings(" ").Trim();
            return HttpClassification.Classify((int)response.StatusCode, $"Kannel: {(answer.Length == 0 ? "(no text)" : answer)}");
        }
        catch (HttpRequestException e)
        {
            // The message names the host and port (connection refused, no route), never the query string.
            return SendResult.Transient($"cannot reach Kannel at {url.Authority}: {e.Message}");
        }
    }

    /// <summary>
    /// The sendsms request: every value percent-encoded as UTF-8 (Uri.EscapeDataString, RFC 3986 §2.1), so that
    /// '+' in a number stays a plus and not a space. Public for tests; the result holds the password.
    /// </summary>
    public static Uri BuildUri(Uri sendSmsUrl, KannelOptions sms, string password, ClaimedNotification claim, SmsPayload payload)
    {
        ArgumentNullException.ThrowIfNull(sendSmsUrl);
        ArgumentNullException.ThrowIfNull(sms);
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(payload);
        var query = new StringBuilder();
        void Add(string name, string value)
        {
            query.Append(query.Length == 0 ? "" : "&").Append(name).Append('=').Append(Uri.EscapeDataString(value));
        }
        Add("username", sms.UserName ?? "");
        Add("password", password);
        Add("to", claim.Message.Recipient);
        Add("text", payload.Text);
        Add("charset", "UTF-8");
        Add("coding", payload.Coding.ToString(CultureInfo.InvariantCulture));
        if (!string.IsNullOrEmpty(sms.From)) Add("from", sms.From);
        if (sms.DeliveryReportBaseUrl is { } reports && claim.DeliveryReportToken is { } token)
        {
            Add("dlr-mask", sms.DeliveryReportMask.ToString(CultureInfo.InvariantCulture));
            Add("dlr-url", DeliveryReportUrl(reports, claim.Message.Id, token));
        }
        var builder = new UriBuilder(sendSmsUrl) { Query = query.ToString() };
        return builder.Uri;
    }

    /// <summary>
    /// The dlr-url of a message: <c>{base}/notifications/v1/sms/dlr/{id}/{token}?status=%d&amp;at=%T&amp;detail=%A</c>;
    /// Kannel replaces <c>%d</c> by the report's code, <c>%T</c> by its Unix time and <c>%A</c> by the SMSC's answer.
    /// </summary>
    public static string DeliveryReportUrl(Uri baseUrl, long id, string token)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        var root = baseUrl.AbsoluteUri.TrimEnd('/');
        return $"{root}/{DeliveryReportPath}/{id.ToString(CultureInfo.InvariantCulture)}/{Uri.EscapeDataString(token)}?status=%d&at=%T&detail=%A";
    }
}
