using EquipmentIoT.Cloud.Notifications;
using EquipmentIoT.Cloud.Notifications.Dispatch;
using NodaTime;

namespace EquipmentIoT.Cloud.Tests.Notifications;

/// <summary>The dispatcher's decisions on a fake clock with scripted channels: send, retry with backoff, give up, share with another instance, recover.</summary>
public sealed class NotificationDispatcherTests : NotificationKitTest
{
    [Fact]
    public async Task DispatchDueAsync_GatewayAccepts_MessageSentOnce()
    {
        var sender = new ScriptedSender(NotificationChannel.Sms, SendResult.Sent("202 Kannel: 0: Accepted for delivery"));
        var dispatcher = Kit.Dispatcher(sender);
        var message = await Kit.EnqueueAsync(NotificationTestKit.Sms("k"));
        Assert.Equal(1, await dispatcher.DispatchDueAsync(CancellationToken.None));
        Assert.Equal(0, await dispatcher.DispatchDueAsync(CancellationToken.None));
        Assert.Single(sender.Sent);
        Assert.Equal(NotificationStatus.Sent, (await Kit.GetAsync(message.Id)).Message.Status);
    }

    [Fact]
    public async Task DispatchDueAsync_TransientFailures_RetriedAfterBackoffUntilSent()
    {
        var sender = new ScriptedSender(NotificationChannel.Sms, SendResult.Transient("connection refused"), SendResult.Transient("HTTP 503"), SendResult.Sent("ok"));
        var dispatcher = Kit.Dispatcher(sender);
        var message = await Kit.EnqueueAsync(NotificationTestKit.Sms("k"));

        await dispatcher.DispatchDueAsync(CancellationToken.None);
        var afterFirst = (await Kit.GetAsync(message.Id)).Message;
        Assert.Equal(NotificationStatus.Pending, afterFirst.Status);
        var firstDelay = afterFirst.NextAttempt - NotificationTestKit.T0;
        Assert.InRange(firstDelay.TotalSeconds, 5, 10); // initial step 10 s, jittered

        Assert.Equal(0, await dispatcher.DispatchDueAsync(CancellationToken.None)); // not due yet
        Kit.Clock.Reset(afterFirst.NextAttempt);
        await dispatcher.DispatchDueAsync(CancellationToken.None);
        var afterSecond = (await Kit.GetAsync(message.Id)).Message;
        Assert.InRange((afterSecond.NextAttempt - afterFirst.NextAttempt).TotalSeconds, 10, 20); // doubled

        Kit.Clock.Reset(afterSecond.NextAttempt);
        await dispatcher.DispatchDueAsync(CancellationToken.None);
        var entry = await Kit.GetAsync(message.Id);
        Assert.Equal(NotificationStatus.Sent, entry.Message.Status);
        Assert.Equal(3, entry.Message.Attempts);
        Assert.Equal([AttemptOutcome.Transient, AttemptOutcome.Transient, AttemptOutcome.Sent], entry.Attempts.Select(a => a.Outcome));
        Assert.Equal(3, sender.Sent.Count);
    }

    [Fact]
    public async Task DispatchDueAsync_TransientUntilMaxAttempts_FailsPermanentlyAndIsKept()
    {
        var sender = new ScriptedSender(NotificationChannel.Sms, SendResult.Transient("HTTP 503"));
        var dispatcher = Kit.Dispatcher(sender); // MaxAttempts 4
        var message = await Kit.EnqueueAsync(NotificationTestKit.Sms("k"));
        for (var i = 0; i < 10; i++)
        {
            await dispatcher.DispatchDueAsync(CancellationToken.None);
            Kit.Clock.Advance(Duration.FromHours(1));
        }
        var entry = await Kit.GetAsync(message.Id);
        Assert.Equal(NotificationStatus.FailedPermanently, entry.Message.Status);
        Assert.Equal(4, entry.Attempts.Count);
        Assert.Contains("no attempts left of 4", entry.Message.LastError, StringComparison.Ordinal);
        Assert.Equal(4, sender.Sent.Count);
    }

    [Fact]
    public async Task DispatchDueAsync_PermanentRefusal_NotRetried()
    {
        var sender = new ScriptedSender(NotificationChannel.Sms, SendResult.Permanent("HTTP 400: Kannel: Missing receiver"));
        var dispatcher = Kit.Dispatcher(sender);
        var message = await Kit.EnqueueAsync(NotificationTestKit.Sms("k"));
        await dispatcher.DispatchDueAsync(CancellationToken.None);
        Kit.Clock.Advance(Duration.FromDays(1));
        await dispatcher.DispatchDueAsync(CancellationToken.None);
        var entry = await Kit.GetAsync(message.Id);
        Assert.Equal(NotificationStatus.FailedPermanently, entry.Message.Status);
        Assert.Equal("HTTP 400: Kannel: Missing receiver", entry.Message.LastError);
        Assert.Single(sender.Sent);
    }

    [Fact]
    public async Task DispatchDueAsync_QuietHoursNotBefore_WaitsUntilThen()
    {
        var sender = new ScriptedSender(NotificationChannel.Sms, SendResult.Sent("ok"));
        var dispatcher = Kit.Dispatcher(sender);
        var quiet = new QuietHours(new LocalTime(22, 0), new LocalTime(7, 0), DateTimeZoneProviders.Tzdb["Asia/Shanghai"]);
        // T0 is 10:00 in Shanghai; move to 23:00 there.
        Kit.Clock.Reset(Instant.FromUtc(2026, 11, 23, 15, 0));
        var now = Kit.Clock.GetCurrentInstant();
        await Kit.EnqueueAsync(NotificationTestKit.Sms("routine", notBefore: quiet.NotBefore(now, critical: false)));
        await Kit.EnqueueAsync(NotificationTestKit.Sms("critical", notBefore: quiet.NotBefore(now, critical: true)));
        await dispatcher.DispatchDueAsync(CancellationToken.None);
        Assert.Equal(["critical"], sender.Sent.Select(c => c.Message.DeduplicationKey));
        Kit.Clock.Reset(Instant.FromUtc(2026, 11, 23, 23, 0)); // 07:00 in Shanghai
        await dispatcher.DispatchDueAsync(CancellationToken.None);
        Assert.Equal(["critical", "routine"], sender.Sent.Select(c => c.Message.DeduplicationKey));
    }

    [Fact]
    public async Task DispatchDueAsync_TwoInstancesOnOneDatabase_EachMessageSentOnce()
    {
        var a = new ScriptedSender(NotificationChannel.Sms, SendResult.Sent("ok"));
        var b = new ScriptedSender(NotificationChannel.Sms, SendResult.Sent("ok"));
        var first = Kit.Dispatcher(a, NotificationTestKit.Options("a"));
        var second = Kit.Dispatcher(b, NotificationTestKit.Options("b"));
        for (var i = 0; i < 40; i++) await Kit.EnqueueAsync(NotificationTestKit.Sms($"k{i}"));
        await Task.WhenAll(Task.Run(() => first.DispatchDueAsync(CancellationToken.None)), Task.Run(() => second.DispatchDueAsync(CancellationToken.None)));
        var keys = a.Sent.Concat(b.Sent).Select(c => c.Message.DeduplicationKey).ToList();
        Assert.Equal(40, keys.Count);
        Assert.Equal(40, keys.Distinct().Count());
    }

    [Fact]
    public async Task RecoverAsync_AfterACrashWhileSending_TheMessageIsSentAgain()
    {
        var message = await Kit.EnqueueAsync(NotificationTestKit.Sms("k"));
        // The old process claimed it and died before recording the outcome.
        Assert.NotNull(await Kit.Store.TryClaimAsync(message.Id, "a", Kit.Clock.GetCurrentInstant(), CancellationToken.None));
        var sender = new ScriptedSender(NotificationChannel.Sms, SendResult.Sent("ok"));
        var restarted = Kit.Dispatcher(sender, NotificationTestKit.Options("a"));
        Assert.Equal(0, await restarted.DispatchDueAsync(CancellationToken.None));
        Assert.Equal(1, await restarted.RecoverAsync(ownToo: true, CancellationToken.None));
        Assert.Equal(1, await restarted.DispatchDueAsync(CancellationToken.None));
        var entry = await Kit.GetAsync(message.Id);
        Assert.Equal(NotificationStatus.Sent, entry.Message.Status);
        Assert.Equal([AttemptOutcome.Abandoned, AttemptOutcome.Sent], entry.Attempts.Select(x => x.Outcome));
    }

    [Fact]
    public async Task DispatchDueAsync_DeliveryReportArrivesDuringTheSend_StaysDelivered()
    {
        var sender = new ScriptedSender(NotificationChannel.Sms, SendResult.Sent("ok"));
        sender.During = claim => Kit.Store.RecordDeliveryReportAsync(claim.Message.Id, claim.DeliveryReportToken!, 1, Kit.Clock.GetCurrentInstant(), null,
            Kit.Clock.GetCurrentInstant(), CancellationToken.None);
        var message = await Kit.EnqueueAsync(NotificationTestKit.Sms("k"));
        await Kit.Dispatcher(sender).DispatchDueAsync(CancellationToken.None);
        var entry = await Kit.GetAsync(message.Id);
        Assert.Equal(NotificationStatus.Delivered, entry.Message.Status);
        Assert.NotNull(entry.Message.SentAt);
        Assert.Equal(AttemptOutcome.Sent, Assert.Single(entry.Attempts).Outcome);
    }

    [Fact]
    public async Task DispatchDueAsync_SenderThrows_CountsAsTransient()
    {
        var sender = new ScriptedSender(NotificationChannel.Sms, SendResult.Sent("ok")) { During = _ => throw new InvalidOperationException("bug") };
        var message = await Kit.EnqueueAsync(NotificationTestKit.Sms("k"));
        await Kit.Dispatcher(sender).DispatchDueAsync(CancellationToken.None);
        var entry = await Kit.GetAsync(message.Id);
        Assert.Equal(NotificationStatus.Pending, entry.Message.Status);
        Assert.Equal("InvalidOperationException: bug", entry.Message.LastError);
    }

    [Fact]
    public async Task DispatchDueAsync_ChannelWithoutSender_WaitsAsTransient()
    {
        var message = await Kit.EnqueueAsync(NotificationTestKit.Email("k"));
        await Kit.Dispatcher(new ScriptedSender(NotificationChannel.Sms, SendResult.Sent("ok"))).DispatchDueAsync(CancellationToken.None);
        var entry = await Kit.GetAsync(message.Id);
        Assert.Equal(NotificationStatus.Pending, entry.Message.Status);
        Assert.Contains("email channel is not configured", entry.Message.LastError, StringComparison.Ordinal);
    }
}
