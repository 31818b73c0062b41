using EquipmentIoT.Cloud.Notifications;
using EquipmentIoT.Testing;
using MimeKit;

namespace EquipmentIoT.IntegrationTests.Notifications;

/// <summary>E-mail through a real SMTP server (aiosmtpd): Chinese subject and body arrive once, intact; a 451 is retried.</summary>
public sealed class SmtpEmailDeliveryTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private const string To = "zhang.wei@hospital.example";
    private readonly string _data = Directory.CreateTempSubdirectory("eqiot-notify-mail-").FullName;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    private Task<NotificationHost> CloudAsync(SmtpSink sink) => NotificationHost.StartAsync(_data, (s, _) =>
    {
        s["Notifications:Email:Host"] = "127.0.0.1";
        s["Notifications:Email:Port"] = sink.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // The sink offers no STARTTLS: opportunistic sends in plain text, as it would to a relay on the same host.
        s["Notifications:Email:Security"] = "Opportunistic";
        s["Notifications:Email:From"] = "EquipmentIoT 告警 <alerts@hospital.example>";
    });

    [Fact]
    public async Task Dispatch_ChineseMail_ArrivesOnceWithSubjectAndBodyIntact()
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var cloud = await CloudAsync(sink);
        var message = await cloud.EnqueueAsync(new NotificationRequest(NotificationChannel.Email, To, "设备告警：CT-01 球管温度过高",
            "CT-01（放射科）球管温度 92 °C，超过阈值 85 °C。\n请立即检查冷却系统。", "alarm:1:email"));

        var entry = await cloud.WaitForStatusAsync(message.Id, NotificationStatus.Sent, Timeout);
        var received = Assert.Single(await sink.WaitForMessagesAsync(1, Timeout));
        Assert.Equal("alerts@hospital.example", received.MailFrom);
        Assert.Equal([To], received.RcptTo);
        using var mail = MimeMessage.Load(new MemoryStream(received.Data));
        Assert.Equal("设备告警：CT-01 球管温度过高", mail.Subject);
        Assert.Equal("CT-01（放射科）球管温度 92 °C，超过阈值 85 °C。\n请立即检查冷却系统。", mail.TextBody!.ReplaceLineEndings("\n").TrimEnd('\n'));
        Assert.Equal("EquipmentIoT 告警", mail.From.Mailboxes.Single().Name);
        Assert.Equal("auto-generated", mail.Headers["Auto-Submitted"]);
        // The relay's answer names its queue id; it is kept as the gateway message id.
        Assert.Equal("2.0.0 Ok: queued as 1", entry.Message.GatewayMessageId);
        Assert.DoesNotContain(cloud.Logs.Lines, l => l.Contains("球管温度", StringComparison.Ordinal) || l.Contains(To, StringComparison.Ordinal));

        // Exactly once: a second mail sent after it is the only other one to arrive.
        var marker = await cloud.EnqueueAsync(new NotificationRequest(NotificationChannel.Email, To, "marker", "marker", "marker"));
        await cloud.WaitForStatusAsync(marker.Id, NotificationStatus.Sent, Timeout);
        Assert.Equal(2, (await sink.WaitForMessagesAsync(2, Timeout)).Count);
    }

    [Fact]
    public async Task Dispatch_RelayAnswers451_RetriedAndArrivesOnce()
    {
        await using var sink = await SmtpSink.StartAsync(refuseFirst: 2);
        await using var cloud = await CloudAsync(sink);
        var message = await cloud.EnqueueAsync(new NotificationRequest(NotificationChannel.Email, To, "许可证即将到期", "站点 SH-01 的许可证将在 7 天后到期。", "licence:sh-01:7d"));
        var entry = await cloud.WaitForStatusAsync(message.Id, NotificationStatus.Sent, Timeout);
        Assert.Equal([AttemptOutcome.Transient, AttemptOutcome.Transient, AttemptOutcome.Sent], entry.Attempts.Select(a => a.Outcome));
        Assert.Contains("SMTP 451", entry.Attempts[0].Detail, StringComparison.Ordinal);
        using var mail = MimeMessage.Load(new MemoryStream(Assert.Single(await sink.WaitForMessagesAsync(1, Timeout)).Data));
        Assert.Equal("许可证即将到期", mail.Subject);
    }

    [Fact]
    public async Task Dispatch_StartTlsRequiredButNotOffered_NotSentInPlainText()
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var cloud = await NotificationHost.StartAsync(_data, (s, _) =>
        {
            s["Notifications:Email:Host"] = "127.0.0.1";
            s["Notifications:Email:Port"] = sink.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            s["Notifications:Email:Security"] = "Required";
            s["Notifications:Email:From"] = "alerts@hospital.example";
        });
        var message = await cloud.EnqueueAsync(new NotificationRequest(NotificationChannel.Email, To, "s", "b", "k"));
        await Wait.UntilAsync(async ct => (await cloud.Store.GetAsync(message.Id, ct))!.Attempts.Count >= 2, Timeout, "two refused attempts");
        var entry = (await cloud.Store.GetAsync(message.Id, CancellationToken.None))!;
        Assert.Equal(NotificationStatus.Pending, entry.Message.Status);
        Assert.Contains("STARTTLS", entry.Message.LastError, StringComparison.Ordinal);
        Assert.Empty(sink.Messages);
    }
}
