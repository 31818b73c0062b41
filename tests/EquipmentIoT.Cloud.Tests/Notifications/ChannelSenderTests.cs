using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using EquipmentIoT.Cloud.Notifications;
using EquipmentIoT.Cloud.Notifications.Dispatch;
using EquipmentIoT.Cloud.Notifications.Email;
using EquipmentIoT.Cloud.Notifications.Outbox;
using EquipmentIoT.Cloud.Notifications.Sms;
using EquipmentIoT.Cloud.Notifications.Webhooks;
using MailKit.Net.Smtp;
using MimeKit;
using NodaTime;

namespace EquipmentIoT.Cloud.Tests.Notifications;

/// <summary>The senders against stub HTTP handlers: the requests they build and how answers and failures are classified.</summary>
public sealed class ChannelSenderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("eqiot-senders-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ClaimedNotification Claim(NotificationChannel channel, string recipient, string subject, string body, string? token = "tok_en-1") =>
        new(new NotificationMessage(7, channel, recipient, subject, body, "alarm:7", NotificationTestKit.T0, NotificationTestKit.T0, NotificationStatus.Sending, 1,
            NotificationTestKit.T0, null, null, null, null, null), "a", NotificationTestKit.T0, token);

    private string Secret(string text)
    {
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N"));
        File.WriteAllText(path, text + "\n");
        return path;
    }

    private (KannelSmsSender Sender, StubHttpHandler Http) Kannel(HttpStatusCode status, string text, Uri? reports = null)
    {
        var http = new StubHttpHandler(status, text);
        var options = NotificationTestKit.Options();
        options.Sms = new KannelOptions
        {
            SendSmsUrl = new Uri("http://127.0.0.1:13013/cgi-bin/sendsms"),
            UserName = "eqiot",
            PasswordFile = Secret("s3cret&=+"),
            From = "10086",
            DeliveryReportBaseUrl = reports,
        };
        return (new KannelSmsSender(new StubHttpClientFactory(http), OptionsOf.Wrap(options)), http);
    }

    [Theory]
    [InlineData(HttpStatusCode.Accepted, "0: Accepted for delivery", AttemptOutcome.Sent)]
    [InlineData(HttpStatusCode.Accepted, "3: Queued for later delivery", AttemptOutcome.Sent)]
    [InlineData(HttpStatusCode.OK, "Sent.", AttemptOutcome.Sent)]
    [InlineData(HttpStatusCode.Forbidden, "Authorization failed for sendsms", AttemptOutcome.Permanent)]
    [InlineData(HttpStatusCode.BadRequest, "Missing receiver number", AttemptOutcome.Permanent)]
    [InlineData(HttpStatusCode.ServiceUnavailable, "Temporal failure, try again later.", AttemptOutcome.Transient)]
    [InlineData(HttpStatusCode.InternalServerError, "", AttemptOutcome.Transient)]
    [InlineData(HttpStatusCode.TooManyRequests, "", AttemptOutcome.Transient)]
    public async Task KannelSendAsync_Answer_IsClassified(HttpStatusCode status, string text, AttemptOutcome outcome)
    {
        var (sender, _) = Kannel(status, text);
        var result = await sender.SendAsync(Claim(NotificationChannel.Sms, "+8613812345678", "告警", "CT-01"), CancellationToken.None);
        Assert.Equal(outcome, result.Outcome);
        Assert.Contains(((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture), result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KannelSendAsync_ConnectionRefused_IsTransientAndDoesNotShowThePassword()
    {
        var (sender, http) = Kannel(HttpStatusCode.Accepted, "");
        http.Throw = new HttpRequestException("Connection refused (127.0.0.1:13013)", new SocketException((int)SocketError.ConnectionRefused));
        var result = await sender.SendAsync(Claim(NotificationChannel.Sms, "+8613812345678", "告警", "CT-01"), CancellationToken.None);
        Assert.Equal(AttemptOutcome.Transient, result.Outcome);
        Assert.Contains("cannot reach Kannel at 127.0.0.1:13013", result.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KannelSendAsync_ChineseText_Ucs2WithUtf8ParametersAndDeliveryReportUrl()
    {
        var (sender, http) = Kannel(HttpStatusCode.Accepted, "0: Accepted for delivery", reports: new Uri("https://cloud.example:8443/"));
        await sender.SendAsync(Claim(NotificationChannel.Sms, "+8613812345678", "告警", "CT-01 球管温度过高"), CancellationToken.None);
        var uri = Assert.Single(http.Requests).RequestUri!;
        Assert.Equal("/cgi-bin/sendsms", uri.AbsolutePath);
        var query = QueryOf(uri);
        Assert.Equal("eqiot", query["username"]);
        Assert.Equal("s3cret&=+", query["password"]);
        Assert.Equal("+8613812345678", query["to"]);
        Assert.Equal("告警\nCT-01 球管温度过高", query["text"]);
        Assert.Equal("UTF-8", query["charset"]);
        Assert.Equal("2", query["coding"]);
        Assert.Equal("10086", query["from"]);
        Assert.Equal("31", query["dlr-mask"]);
        Assert.Equal("https://cloud.example:8443/notifications/v1/sms/dlr/7/tok_en-1?status=%d&at=%T&detail=%A", query["dlr-url"]);
        Assert.Contains("to=%2B8613812345678", uri.AbsoluteUri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KannelSendAsync_GsmTextWithoutReportUrl_Coding0AndNoDlr()
    {
        var (sender, http) = Kannel(HttpStatusCode.Accepted, "0: Accepted for delivery");
        await sender.SendAsync(Claim(NotificationChannel.Sms, "+8613812345678", "", "CT-01 tube hot"), CancellationToken.None);
        var query = QueryOf(Assert.Single(http.Requests).RequestUri!);
        Assert.Equal("0", query["coding"]);
        Assert.Equal("CT-01 tube hot", query["text"]);
        Assert.False(query.ContainsKey("dlr-url"));
    }

    [Fact]
    public async Task KannelSendAsync_PasswordFileMissing_TransientNamingTheFile()
    {
        var (sender, _) = Kannel(HttpStatusCode.Accepted, "");
        var options = NotificationTestKit.Options();
        options.Sms = new KannelOptions { SendSmsUrl = new Uri("http://127.0.0.1:13013/cgi-bin/sendsms"), UserName = "u", PasswordFile = Path.Combine(_dir, "gone") };
        sender = new KannelSmsSender(new StubHttpClientFactory(new StubHttpHandler(HttpStatusCode.Accepted)), OptionsOf.Wrap(options));
        var result = await sender.SendAsync(Claim(NotificationChannel.Sms, "+8613812345678", "s", "b"), CancellationToken.None);
        Assert.Equal(AttemptOutcome.Transient, result.Outcome);
        Assert.Contains("gone", result.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(HttpStatusCode.NoContent, AttemptOutcome.Sent)]
    [InlineData(HttpStatusCode.NotFound, AttemptOutcome.Permanent)]
    [InlineData(HttpStatusCode.Unauthorized, AttemptOutcome.Permanent)]
    [InlineData(HttpStatusCode.RequestTimeout, AttemptOutcome.Transient)]
    [InlineData(HttpStatusCode.TooManyRequests, AttemptOutcome.Transient)]
    [InlineData(HttpStatusCode.BadGateway, AttemptOutcome.Transient)]
    [InlineData(HttpStatusCode.MovedPermanently, AttemptOutcome.Permanent)]
    public async Task WebhookSendAsync_Answer_IsClassified(HttpStatusCode status, AttemptOutcome outcome)
    {
        var (sender, _) = Webhook(status);
        Assert.Equal(outcome, (await sender.SendAsync(Claim(NotificationChannel.Webhook, "ops", "s", "b"), CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task WebhookSendAsync_Request_IsSignedJsonWithTheDeliveryId()
    {
        var (sender, http) = Webhook(HttpStatusCode.OK);
        await sender.SendAsync(Claim(NotificationChannel.Webhook, "ops", "设备告警", "CT-01 球管温度过高"), CancellationToken.None);
        var request = Assert.Single(http.Requests);
        var body = Assert.Single(http.Bodies);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("application/json; charset=utf-8", request.Content!.Headers.ContentType!.ToString());
        var timestamp = request.Headers.GetValues(WebhookSignature.TimestampHeader).Single();
        Assert.Equal(NotificationTestKit.T0.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), timestamp);
        var signature = request.Headers.GetValues(WebhookSignature.SignatureHeader).Single();
        Assert.Null(WebhookSignature.Verify("hook-secret", timestamp, signature, body, NotificationTestKit.T0, Duration.FromMinutes(5)));
        Assert.Equal("7", request.Headers.GetValues(WebhookSignature.DeliveryHeader).Single());
        using var json = JsonDocument.Parse(body);
        Assert.Equal("设备告警", json.RootElement.GetProperty("subject").GetString());
        Assert.Equal("CT-01 球管温度过高", json.RootElement.GetProperty("body").GetString());
        Assert.Equal("alarm:7", json.RootElement.GetProperty("deduplicationKey").GetString());
        Assert.Equal(7, json.RootElement.GetProperty("id").GetInt64());
    }

    [Fact]
    public void WebhookSignature_KnownVector_MatchesOpenSsl()
    {
        // HMAC-SHA256(key "secret", "1700000000.{}") computed with: printf '1700000000.{}' | openssl dgst -sha256 -hmac secret
        Assert.Equal("sha256=b8569b78799ff9e3cbff0fc2d63a33a2b57f3282abd07c37ae5e8e7d79a5f163", WebhookSignature.Compute("secret", "1700000000", "{}"u8));
    }

    [Fact]
    public void WebhookSignatureVerify_TamperedStaleOrMalformed_SaysWhy()
    {
        var now = Instant.FromUnixTimeSeconds(1_700_000_000);
        var body = Encoding.UTF8.GetBytes("{\"a\":1}");
        var good = WebhookSignature.Compute("k", "1700000000", body);
        var tolerance = Duration.FromMinutes(5);
        Assert.Null(WebhookSignature.Verify("k", "1700000000", good, body, now, tolerance));
        Assert.Equal("the signature does not match", WebhookSignature.Verify("k", "1700000000", good, Encoding.UTF8.GetBytes("{\"a\":2}"), now, tolerance));
        Assert.Equal("the signature does not match", WebhookSignature.Verify("other", "1700000000", good, body, now, tolerance));
        Assert.Contains("away from now", WebhookSignature.Verify("k", "1700000000", good, body, now + Duration.FromMinutes(6), tolerance), StringComparison.Ordinal);
        Assert.Contains("not a Unix time", WebhookSignature.Verify("k", "soon", good, body, now, tolerance), StringComparison.Ordinal);
        Assert.Contains("64 hex digits", WebhookSignature.Verify("k", "1700000000", "sha1=abc", body, now, tolerance), StringComparison.Ordinal);
        Assert.Contains("not hex", WebhookSignature.Verify("k", "1700000000", "sha256=" + new string('z', 64), body, now, tolerance), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SmtpStatusCode.MailboxUnavailable, AttemptOutcome.Permanent)] // 550
    [InlineData(SmtpStatusCode.MailboxBusy, AttemptOutcome.Transient)] // 450
    [InlineData(SmtpStatusCode.InsufficientStorage, AttemptOutcome.Transient)] // 452
    [InlineData(SmtpStatusCode.TransactionFailed, AttemptOutcome.Permanent)] // 554
    public void SmtpClassify_ReplyCode_FourTransientFivePermanent(SmtpStatusCode code, AttemptOutcome outcome) =>
        Assert.Equal(outcome, SmtpEmailSender.Classify(new SmtpCommandException(SmtpErrorCode.RecipientNotAccepted, code, "no"))!.Outcome);

    [Fact]
    public void SmtpClassify_IoAndStartTlsMissing_TransientAndBugsUnclassified()
    {
        Assert.Equal(AttemptOutcome.Transient, SmtpEmailSender.Classify(new SocketException((int)SocketError.ConnectionRefused))!.Outcome);
        Assert.Equal(AttemptOutcome.Transient, SmtpEmailSender.Classify(new IOException("reset"))!.Outcome);
        Assert.Equal(AttemptOutcome.Transient, SmtpEmailSender.Classify(new NotSupportedException("The SMTP server does not support the STARTTLS extension."))!.Outcome);
        Assert.Equal(AttemptOutcome.Permanent, SmtpEmailSender.Classify(new MailKit.Security.AuthenticationException("535"))!.Outcome);
        Assert.Null(SmtpEmailSender.Classify(new InvalidOperationException("a bug")));
    }

    [Fact]
    public void SmtpCompose_ChineseMessage_Utf8WithStableMessageId()
    {
        var claim = Claim(NotificationChannel.Email, "zhang.wei@hospital.example", "设备告警：CT-01", "球管温度过高\n请检查。");
        using var mail = SmtpEmailSender.Compose(claim, MailboxAddress.Parse("EquipmentIoT <alerts@hospital.example>"), NotificationTestKit.T0);
        using var copy = SmtpEmailSender.Compose(claim, MailboxAddress.Parse("EquipmentIoT <alerts@hospital.example>"), NotificationTestKit.T0 + Duration.FromHours(1));
        Assert.Equal(mail.MessageId, copy.MessageId);
        Assert.EndsWith("@hospital.example", mail.MessageId, StringComparison.Ordinal);
        Assert.Equal("auto-generated", mail.Headers["Auto-Submitted"]);
        using var wire = new MemoryStream();
        mail.WriteTo(wire);
        wire.Position = 0;
        using var parsed = MimeMessage.Load(wire);
        Assert.Equal("设备告警：CT-01", parsed.Subject);
        Assert.Equal("球管温度过高\n请检查。", parsed.TextBody!.ReplaceLineEndings("\n").TrimEnd('\n'));
        Assert.Equal("utf-8", ((TextPart)parsed.Body!).ContentType.Charset, ignoreCase: true);
    }

    private (WebhookSender Sender, StubHttpHandler Http) Webhook(HttpStatusCode status)
    {
        var http = new StubHttpHandler(status);
        var options = NotificationTestKit.Options();
        options.Webhooks["ops"] = new WebhookTarget { Url = new Uri("http://127.0.0.1:9000/hooks/eqiot"), SecretFile = Secret("hook-secret") };
        return (new WebhookSender(new StubHttpClientFactory(http), OptionsOf.Wrap(options), new NodaTime.Testing.FakeClock(NotificationTestKit.T0)), http);
    }

    private static Dictionary<string, string> QueryOf(Uri uri) =>
        uri.Query.TrimStart('?').Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));
}
