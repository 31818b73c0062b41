using EquipmentIoT.Cloud.Notifications;
using EquipmentIoT.Cloud.Notifications.Dispatch;
using Microsoft.Extensions.Logging.Abstractions;

namespace EquipmentIoT.Cloud.Tests.Notifications;

/// <summary>What the outbox refuses (with a reason) and accepts; masking of recipients for logs.</summary>
public sealed class NotificationOutboxTests : NotificationKitTest
{
    private NotificationOutbox Outbox(params NotificationChannel[] configured)
    {
        var options = NotificationTestKit.Options();
        options.Webhooks["ops"] = new WebhookTarget { Url = new Uri("http://127.0.0.1:9/hook"), SecretFile = "/nonexistent" };
        return new NotificationOutbox(Kit.Store, configured.Select(c => new ScriptedSender(c, SendResult.Sent("ok"))), OptionsOf.Wrap(options), Kit.Clock,
            new NotificationSignal(), NullLogger<NotificationOutbox>.Instance);
    }

    [Theory]
    [InlineData(NotificationChannel.Sms, "13812345678", "E.164")]
    [InlineData(NotificationChannel.Sms, "+86 138 1234 5678", "E.164")]
    [InlineData(NotificationChannel.Sms, "+0861234567", "E.164")]
    [InlineData(NotificationChannel.Sms, "+1234567890123456", "E.164")]
    [InlineData(NotificationChannel.Email, "Zhang Wei <zhang.wei@hospital.example>", "bare address")]
    [InlineData(NotificationChannel.Email, "not-an-address", "bare address")]
    [InlineData(NotificationChannel.Email, "a@b.example\r\nBcc: x@y.example", "bare address")]
    [InlineData(NotificationChannel.Webhook, "unknown", "no webhook named 'unknown'")]
    [InlineData(NotificationChannel.Sms, "", "missing")]
    public async Task EnqueueAsync_BadRecipient_RefusedWithReason(NotificationChannel channel, string recipient, string reason)
    {
        var result = await Outbox(NotificationChannel.Sms, NotificationChannel.Email, NotificationChannel.Webhook)
            .EnqueueAsync(new NotificationRequest(channel, recipient, "s", "b", "k"), CancellationToken.None);
        Assert.False(result.Accepted);
        Assert.Null(result.Message);
        Assert.Contains(reason, result.Error, StringComparison.Ordinal);
        Assert.Empty(await Kit.Store.QueryAsync(new NotificationQuery(), CancellationToken.None));
    }

    [Fact]
    public async Task EnqueueAsync_UnconfiguredChannel_Refused()
    {
        var result = await Outbox(NotificationChannel.Sms).EnqueueAsync(NotificationTestKit.Email("k"), CancellationToken.None);
        Assert.Equal("the email channel is not configured", result.Error);
    }

    [Theory]
    [InlineData("subject\r\nBcc: x", "b", "k", "subject")]
    [InlineData("s", "b", "", "de-duplication key")]
    [InlineData("s", "b", "key\nwith newline", "de-duplication key")]
    [InlineData("", " ", "k", "subject or a body")]
    public async Task EnqueueAsync_BadText_Refused(string subject, string body, string key, string reason)
    {
        var result = await Outbox(NotificationChannel.Sms).EnqueueAsync(new NotificationRequest(NotificationChannel.Sms, "+8613812345678", subject, body, key),
            CancellationToken.None);
        Assert.Contains(reason, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnqueueAsync_GoodRequests_StoredOnceEach()
    {
        var outbox = Outbox(NotificationChannel.Sms, NotificationChannel.Email, NotificationChannel.Webhook);
        var sms = await outbox.EnqueueAsync(NotificationTestKit.Sms("a"), CancellationToken.None);
        var again = await outbox.EnqueueAsync(NotificationTestKit.Sms("a"), CancellationToken.None);
        var hook = await outbox.EnqueueAsync(new NotificationRequest(NotificationChannel.Webhook, "ops", "s", "b", "w"), CancellationToken.None);
        Assert.True(sms.Created);
        Assert.True(again.Accepted);
        Assert.False(again.Created);
        Assert.Equal(sms.Message, again.Message);
        Assert.True(hook.Created);
    }

    [Theory]
    [InlineData(NotificationChannel.Sms, "+8613812345678", "+86138****5678")]
    [InlineData(NotificationChannel.Sms, "+4930123", "+49****23")]
    [InlineData(NotificationChannel.Email, "zhang.wei@hospital.example", "z***@hospital.example")]
    [InlineData(NotificationChannel.Webhook, "ops", "ops")]
    public void Mask_Recipient_HidesTheMiddle(NotificationChannel channel, string recipient, string masked) =>
        Assert.Equal(masked, RecipientMask.Mask(channel, recipient));
}
