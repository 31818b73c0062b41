using EquipmentIoT.Cloud.Notifications;
using EquipmentIoT.Testing;

namespace EquipmentIoT.IntegrationTests.Notifications;

/// <summary>
/// SMS through a real Kannel (bearerbox, smsbox, fakesmsc as the phone network): the text that reaches the phone,
/// exactly once, Chinese included; the delivery report back through the cloud's own endpoint; a gateway that is down
/// when the message is enqueued; a cloud restart between enqueue and send.
/// </summary>
public sealed class KannelSmsDeliveryTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private const string Phone = "+8613812345678";
    private readonly string _data = Directory.CreateTempSubdirectory("eqiot-notify-sms-").FullName;
    private KannelGateway _kannel = null!;

    public Task InitializeAsync()
    {
        _kannel = KannelGateway.Create();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _kannel.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    private Task<NotificationHost> CloudAsync(bool dispatcher = true) => NotificationHost.StartAsync(_data, (s, self) =>
    {
        s["Notifications:DispatcherEnabled"] = dispatcher ? "true" : "false";
        s["Notifications:Sms:SendSmsUrl"] = _kannel.SendSmsUrl.ToString();
        s["Notifications:Sms:UserName"] = KannelGateway.UserName;
        s["Notifications:Sms:PasswordFile"] = _kannel.PasswordFile;
        s["Notifications:Sms:DeliveryReportBaseUrl"] = self.ToString();
    });

    [Fact]
    public async Task Dispatch_ChineseAlarm_ReachesThePhoneOnceAndIsReportedDelivered()
    {
        await _kannel.StartAsync();
        await using var cloud = await CloudAsync();
        var message = await cloud.EnqueueAsync(new NotificationRequest(NotificationChannel.Sms, Phone, "设备告警", "CT-01 球管温度过高，请立即检查。", "alarm:1:sms"));

        var entry = await cloud.WaitForStatusAsync(message.Id, NotificationStatus.Delivered, Timeout);
        var received = Assert.Single(await _kannel.WaitForMessagesAsync(1, Timeout));
        Assert.Equal(Phone, received.Receiver);
        Assert.Equal(KannelGateway.Sender, received.Sender);
        Assert.Equal("ucs-2", received.Type);
        Assert.Equal("设备告警\nCT-01 球管温度过高，请立即检查。", received.Text);
        Assert.NotNull(entry.Message.DeliveredAt);
        Assert.Contains(entry.Reports, r => r.Code == 1);
        Assert.Equal(AttemptOutcome.Sent, Assert.Single(entry.Attempts).Outcome);
        Assert.Contains("Accepted for delivery", entry.Attempts[0].Detail, StringComparison.Ordinal);

        // Both reports come back (8: the SMSC took it, 1: delivered) and cause no resend; the logs hold no secret, text or number.
        await Wait.UntilAsync(async ct => (await cloud.Store.GetAsync(message.Id, ct))!.Reports.Select(r => r.Code).Order().SequenceEqual([1, 8]), Timeout,
            "delivery reports 1 and 8");
        await AssertNothingElseArrivesAsync(cloud);
        Assert.DoesNotContain(cloud.Logs.Lines, l => l.Contains(_kannel.Password, StringComparison.Ordinal));
        Assert.DoesNotContain(cloud.Logs.Lines, l => l.Contains("球管温度过高", StringComparison.Ordinal));
        Assert.DoesNotContain(cloud.Logs.Lines, l => l.Contains(Phone, StringComparison.Ordinal));
        Assert.Contains(cloud.Logs.Lines, l => l.Contains("+86138****5678", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Dispatch_GsmText_ArrivesAsPlainText()
    {
        await _kannel.StartAsync();
        await using var cloud = await CloudAsync();
        var message = await cloud.EnqueueAsync(new NotificationRequest(NotificationChannel.Sms, Phone, "", "Licence of site SH-01 expires in 7 days", "licence:sh-01:7d"));
        await cloud.WaitForStatusAsync(message.Id, NotificationStatus.Delivered, Timeout);
        var received = Assert.Single(await _kannel.WaitForMessagesAsync(1, Timeout));
        Assert.Equal(("text", "Licence of site SH-01 expires in 7 days"), (received.Type, received.Text));
    }

    [Fact]
    public async Task Dispatch_GatewayDownWhenEnqueued_ArrivesOnceAfterItStarts()
    {
        await using var cloud = await CloudAsync();
        var message = await cloud.EnqueueAsync(new NotificationRequest(NotificationChannel.Sms, Phone, "告警", "MR-02 液氦液位低", "alarm:2:sms"));
        // Let it fail a few times against the closed port: connection refused is transient.
        await Wait.UntilAsync(async ct => (await cloud.Store.GetAsync(message.Id, ct))!.Attempts.Count >= 2, Timeout, "two failed attempts");
        var failing = (await cloud.Store.GetAsync(message.Id, CancellationToken.None))!;
        Assert.Equal(NotificationStatus.Pending, failing.Message.Status);
        Assert.All(failing.Attempts, a => Assert.Equal(AttemptOutcome.Transient, a.Outcome));
        Assert.Contains("cannot reach Kannel", failing.Message.LastError, StringComparison.Ordinal);

        await _kannel.StartAsync();
        await cloud.WaitForStatusAsync(message.Id, NotificationStatus.Delivered, Timeout);
        var received = Assert.Single(await _kannel.WaitForMessagesAsync(1, Timeout));
        Assert.Equal("告警\nMR-02 液氦液位低", received.Text);
        await AssertNothingElseArrivesAsync(cloud);
    }

    [Fact]
    public async Task Dispatch_CloudRestartedBetweenEnqueueAndSend_SentOnceByTheNewInstance()
    {
        await _kannel.StartAsync();
        long id;
        await using (var before = await CloudAsync(dispatcher: false))
            id = (await before.EnqueueAsync(new NotificationRequest(NotificationChannel.Sms, Phone, "告警", "打印机 P-07 喷头堵塞", "alarm:3:sms"))).Id;
        Assert.Empty(_kannel.Messages);

        await using var after = await CloudAsync();
        await after.WaitForStatusAsync(id, NotificationStatus.Delivered, Timeout);
        Assert.Equal("告警\n打印机 P-07 喷头堵塞", Assert.Single(await _kannel.WaitForMessagesAsync(1, Timeout)).Text);
        await AssertNothingElseArrivesAsync(after);
    }

    /// <summary>
    /// Exactly once, without sleeping: a marker sent now arrives after anything still on its way (one SMSC connection,
    /// in order), so when it is there, whatever else was coming has come.
    /// </summary>
    private async Task AssertNothingElseArrivesAsync(NotificationHost cloud)
    {
        var before = _kannel.Messages.Count;
        var marker = $"marker {Guid.NewGuid():N}";
        await cloud.EnqueueAsync(new NotificationRequest(NotificationChannel.Sms, "+8613900000000", "", marker, marker));
        await Wait.UntilAsync(() => _kannel.Messages.Any(m => m.Text == marker), Timeout, "the marker SMS");
        Assert.Equal(before + 1, _kannel.Messages.Count);
    }
}
