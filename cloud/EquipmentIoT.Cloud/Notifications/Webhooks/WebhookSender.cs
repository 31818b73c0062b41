using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using EquipmentIoT.Cloud.Notifications.Dispatch;
using EquipmentIoT.Cloud.Notifications.Outbox;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Text;

namespace EquipmentIoT.Cloud.Notifications.Webhooks;

/// <summary>
/// POSTs a message as JSON to the webhook named by its recipient, signed (<see cref="WebhookSignature"/>) with that
/// webhook's secret. Body: <c>{"id", "deduplicationKey", "subject", "body", "created"}</c> (created as ISO-8601 UTC).
/// Answers are classified by <see cref="HttpClassification"/>: 2xx sent; 408, 429 and 5xx transient; other 4xx permanent.
/// </summary>
public sealed class WebhookSender(IHttpClientFactory httpClients, IOptions<NotificationOptions> options, IClock clock) : INotificationSender
{
    /// <summary>The named HttpClient (no redirects, no request logging, small response buffer).</summary>
    public const string HttpClientName = "eqiot-notifications-webhook";

    /// <inheritdoc/>
    public NotificationChannel Channel => NotificationChannel.Webhook;

    /// <inheritdoc/>
    public bool IsConfigured => options.Value.Webhooks.Count > 0;

    /// <inheritdoc/>
    public async Task<SendResult> SendAsync(ClaimedNotification claim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(claim);
        var message = claim.Message;
        if (!options.Value.Webhooks.TryGetValue(message.Recipient, out var target) || target.Url is not { } url)
            return SendResult.Transient($"no webhook named '{message.Recipient}' is configured on this instance");
        if (!SecretFile.TryRead(target.SecretFile, out var secret, out var error)) return SendResult.Transient(error!);

        var body = Payload(message);
        var timestamp = clock.GetCurrentInstant().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp);
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Compute(secret, timestamp, body));
        request.Headers.Add(WebhookSignature.DeliveryHeader, message.Id.ToString(CultureInfo.InvariantCulture));
        using var client = httpClients.CreateClient(HttpClientName);
        try
        {
            using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
            return HttpClassification.Classify((int)response.StatusCode, $"webhook {message.Recipient}: {response.ReasonPhrase}");
        }
        catch (HttpRequestException e)
        {
            return SendResult.Transient($"cannot reach webhook {message.Recipient} at {url.Authority}: {e.Message}");
        }
    }

    /// <summary>The JSON body of <paramref name="message"/> (UTF-8, the same for every attempt).</summary>
    public static byte[] Payload(NotificationMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("id", message.Id);
            json.WriteString("deduplicationKey", message.DeduplicationKey);
            json.WriteString("subject", message.Subject);
            json.WriteString("body", message.Body);
            json.WriteString("created", InstantPattern.ExtendedIso.Format(message.Created));
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
