using EquipmentIoT.Cloud.Notifications;
using EquipmentIoT.Cloud.Notifications.Outbox;
using EquipmentIoT.Cloud.Notifications.Sms;
using NodaTime;

namespace EquipmentIoT.Cloud.Tests.Notifications;

/// <summary>The outbox on a real records.db with a fake clock: de-duplication, claims, completion, recovery, reports, queries.</summary>
public sealed class SqliteNotificationStoreTests : NotificationKitTest
{
    private SqliteNotificationStore Store => Kit.Store;

    private Instant Now => Kit.Clock.GetCurrentInstant();

    [Fact]
    public async Task EnqueueAsync_SameKeyTwice_ReturnsTheFirstMessageAndStoresOne()
    {
        var (first, created) = await Store.EnqueueAsync(NotificationTestKit.Sms("alarm:1:sms"), Now, CancellationToken.None);
        Kit.Clock.Advance(Duration.FromMinutes(1));
        var (again, createdAgain) = await Store.EnqueueAsync(NotificationTestKit.Sms("alarm:1:sms", body: "different text"), Now, CancellationToken.None);
        Assert.True(created);
        Assert.False(createdAgain);
        Assert.Equal(first, again);
        Assert.Equal("CT-01 球管温度过高", again.Body);
        Assert.Single(await Store.QueryAsync(new NotificationQuery(), CancellationToken.None));
    }

    [Fact]
    public async Task EnqueueAsync_NewMessage_IsPendingDueAtItsNotBefore()
    {
        var later = NotificationTestKit.T0 + Duration.FromHours(5);
        var message = await Kit.EnqueueAsync(NotificationTestKit.Sms("k", notBefore: later));
        Assert.Equal(NotificationStatus.Pending, message.Status);
        Assert.Equal(0, message.Attempts);
        Assert.Equal(later, message.NotBefore);
        Assert.Equal(later, message.NextAttempt);
        Assert.Equal(NotificationTestKit.T0, message.Created);
        Assert.Empty(await Store.FindDueAsync(Now, 10, CancellationToken.None));
        Assert.Equal(later, await Store.NextDueAsync(CancellationToken.None));
        Assert.Null(await Store.TryClaimAsync(message.Id, "a", Now, CancellationToken.None));
        Assert.Equal([message.Id], await Store.FindDueAsync(later, 10, CancellationToken.None));
    }

    [Fact]
    public async Task TryClaimAsync_TwoDispatchers_OnlyOneGetsTheMessage()
    {
        var message = await Kit.EnqueueAsync(NotificationTestKit.Sms("k"));
        var a = await Store.TryClaimAsync(message.Id, "a", Now, CancellationToken.None);
        var b = await Store.TryClaimAsync(message.Id, "b", Now, CancellationToken.None);
        Assert.NotNull(a);
        Assert.Null(b);
        Assert.Equal(NotificationStatus.Sending, a.Message.Status);
        Assert.Equal(1, a.Attempt);
        Assert.NotNull(a.DeliveryReportToken);
        Assert.Empty(await Store.FindDueAsync(Now, 10, CancellationToken.None));
    }

    [Fact]
    public async Task TryClaimAsync_ManyConcurrentClaimants_EachMessageClaimedExactlyOnce()
    {
        var ids = new List<long>();
        for (var i = 0; i < 20; i++) ids.Add((await Kit.EnqueueAsync(NotificationTestKit.Sms($"k{i}"))).Id);
        var claims = await Task.WhenAll(Enumerable.Range(0, 4).Select(d => Task.Run(async () =>
        {
            var mine = new List<long>();
            foreach (var id in ids)
                if (await Store.TryClaimAsync(id, $"d{d}", Now, CancellationToken.None) is not null) mine.Add(id);
            return mine;
        })));
        Assert.Equal(ids, claims.SelectMany(c => c).Order());
    }

    [Fact]
    public async Task CompleteAsync_Sent_RecordsTheAttemptAndStatus()
    {
        var claim = await ClaimNewAsync();
        Kit.Clock.Advance(Duration.FromSeconds(2));
        Assert.True(await Store.CompleteAsync(claim, new(AttemptOutcome.Sent, "202 Kannel: 0: Accepted for delivery", "gw-1", Now, NotificationStatus.Sent, null),
            CancellationToken.None));
        var entry = await Kit.GetAsync(claim.Message.Id);
        Assert.Equal(NotificationStatus.Sent, entry.Message.Status);
        Assert.Equal(Now, entry.Message.SentAt);
        Assert.Equal("gw-1", entry.Message.GatewayMessageId);
        Assert.Null(entry.Message.LastError);
        var attempt = Assert.Single(entry.Attempts);
        Assert.Equal(new DeliveryAttempt(claim.Message.Id, 1, "a", NotificationTestKit.T0, Now, AttemptOutcome.Sent, "202 Kannel: 0: Accepted for delivery", "gw-1"),
            attempt);
    }

    [Fact]
    public async Task CompleteAsync_TransientThenSent_KeepsBothAttempts()
    {
        var claim = await ClaimNewAsync();
        var retryAt = Now + Duration.FromSeconds(10);
        await Store.CompleteAsync(claim, new(AttemptOutcome.Transient, "connection refused", null, Now, NotificationStatus.Pending, retryAt), CancellationToken.None);
        var pending = (await Kit.GetAsync(claim.Message.Id)).Message;
        Assert.Equal(NotificationStatus.Pending, pending.Status);
        Assert.Equal(retryAt, pending.NextAttempt);
        Assert.Equal("connection refused", pending.LastError);
        Assert.Null(await Store.TryClaimAsync(claim.Message.Id, "a", Now, CancellationToken.None));

        Kit.Clock.Advance(Duration.FromSeconds(10));
        var second = await Store.TryClaimAsync(claim.Message.Id, "b", Now, CancellationToken.None);
        Assert.Equal(2, second!.Attempt);
        await Store.CompleteAsync(second, new(AttemptOutcome.Sent, "ok", null, Now, NotificationStatus.Sent, null), CancellationToken.None);
        var entry = await Kit.GetAsync(claim.Message.Id);
        Assert.Equal(NotificationStatus.Sent, entry.Message.Status);
        Assert.Equal([(1, "a", AttemptOutcome.Transient), (2, "b", AttemptOutcome.Sent)], entry.Attempts.Select(x => (x.Number, x.Instance, x.Outcome)));
    }

    [Fact]
    public async Task RecordDeliveryReportAsync_WhileSending_DeliveredStaysAfterCompletion()
    {
        var claim = await ClaimNewAsync();
        Assert.Equal(DeliveryReportOutcome.Recorded, await Store.RecordDeliveryReportAsync(claim.Message.Id, claim.DeliveryReportToken!, KannelDeliveryReport.Delivered,
            Now, null, Now, CancellationToken.None));
        Assert.True(await Store.CompleteAsync(claim, new(AttemptOutcome.Sent, "ok", null, Now, NotificationStatus.Sent, null), CancellationToken.None));
        var message = (await Kit.GetAsync(claim.Message.Id)).Message;
        Assert.Equal(NotificationStatus.Delivered, message.Status);
        Assert.Equal(Now, message.DeliveredAt);
        Assert.Equal(Now, message.SentAt);
    }

    [Fact]
    public async Task RecordDeliveryReportAsync_Codes_MapToStatusOnlyForFinalOnes()
    {
        var claim = await ClaimNewAsync();
        await Store.CompleteAsync(claim, new(AttemptOutcome.Sent, "ok", null, Now, NotificationStatus.Sent, null), CancellationToken.None);
        var id = claim.Message.Id;
        var token = claim.DeliveryReportToken!;
        await Store.RecordDeliveryReportAsync(id, token, KannelDeliveryReport.SmscSubmit, Now, "ACK/", Now, CancellationToken.None);
        await Store.RecordDeliveryReportAsync(id, token, KannelDeliveryReport.Buffered, Now, null, Now, CancellationToken.None);
        Assert.Equal(NotificationStatus.Sent, (await Kit.GetAsync(id)).Message.Status);

        var failedAt = Now + Duration.FromSeconds(30);
        await Store.RecordDeliveryReportAsync(id, token, KannelDeliveryReport.Failed, failedAt, null, Now, CancellationToken.None);
        await Store.RecordDeliveryReportAsync(id, token, KannelDeliveryReport.Delivered, failedAt, null, Now, CancellationToken.None); // the first final one wins
        var entry = await Kit.GetAsync(id);
        Assert.Equal(NotificationStatus.FailedPermanently, entry.Message.Status);
        Assert.Equal(failedAt, entry.Message.FailedAt);
        Assert.Contains("delivery to the phone failed", entry.Message.LastError, StringComparison.Ordinal);
        Assert.Equal([8, 4, 2, 1], entry.Reports.Select(r => r.Code));
        Assert.Equal("ACK/", entry.Reports[0].Detail);
    }

    [Fact]
    public async Task RecordDeliveryReportAsync_WrongTokenOrId_IsNotFoundAndChangesNothing()
    {
        var claim = await ClaimNewAsync();
        var token = claim.DeliveryReportToken!;
        var forged = token[..^1] + (token[^1] == 'A' ? 'B' : 'A');
        Assert.Equal(DeliveryReportOutcome.NotFound, await Store.RecordDeliveryReportAsync(claim.Message.Id, forged, 1, Now, null, Now, CancellationToken.None));
        Assert.Equal(DeliveryReportOutcome.NotFound, await Store.RecordDeliveryReportAsync(claim.Message.Id + 1, token, 1, Now, null, Now, CancellationToken.None));
        Assert.Equal(DeliveryReportOutcome.NotFound, await Store.RecordDeliveryReportAsync(claim.Message.Id, "", 1, Now, null, Now, CancellationToken.None));
        var entry = await Kit.GetAsync(claim.Message.Id);
        Assert.Empty(entry.Reports);
        Assert.Equal(NotificationStatus.Sending, entry.Message.Status);
    }

    [Fact]
    public async Task RecoverAsync_OwnClaimAfterRestart_IsPendingAgainWithAnAbandonedAttempt()
    {
        var claim = await ClaimNewAsync();
        Kit.Clock.Advance(Duration.FromSeconds(5));
        // The process died while sending; the same instance starts again long before the lease would expire.
        Assert.Equal(1, await Store.RecoverAsync("a", Now - Duration.FromMinutes(5), Now, CancellationToken.None));
        var entry = await Kit.GetAsync(claim.Message.Id);
        Assert.Equal(NotificationStatus.Pending, entry.Message.Status);
        Assert.Equal(Now, entry.Message.NextAttempt);
        Assert.Equal(AttemptOutcome.Abandoned, Assert.Single(entry.Attempts).Outcome);
        // The dead process's late completion must not overwrite the new state.
        Assert.False(await Store.CompleteAsync(claim, new(AttemptOutcome.Sent, "late", null, Now, NotificationStatus.Sent, null), CancellationToken.None));
        Assert.Equal(NotificationStatus.Pending, (await Kit.GetAsync(claim.Message.Id)).Message.Status);
        Assert.Equal(2, (await Store.TryClaimAsync(claim.Message.Id, "a", Now, CancellationToken.None))!.Attempt);
    }

    [Fact]
    public async Task RecoverAsync_OtherInstancesClaim_OnlyAfterTheLease()
    {
        var claim = await ClaimNewAsync(instance: "b");
        var lease = Duration.FromMinutes(5);
        Kit.Clock.Advance(Duration.FromMinutes(4));
        Assert.Equal(0, await Store.RecoverAsync("a", Now - lease, Now, CancellationToken.None));
        Assert.Equal(0, await Store.RecoverAsync(null, Now - lease, Now, CancellationToken.None));
        Kit.Clock.Advance(Duration.FromMinutes(1));
        Assert.Equal(1, await Store.RecoverAsync(null, Now - lease, Now, CancellationToken.None));
        var attempt = Assert.Single((await Kit.GetAsync(claim.Message.Id)).Attempts);
        Assert.Equal(("b", AttemptOutcome.Abandoned), (attempt.Instance, attempt.Outcome));
    }

    [Fact]
    public async Task RequeueAsync_FailedMessage_PendingWithAFreshBudget()
    {
        var claim = await ClaimNewAsync();
        await Store.CompleteAsync(claim, new(AttemptOutcome.Permanent, "HTTP 400", null, Now, NotificationStatus.FailedPermanently, null), CancellationToken.None);
        Assert.Equal(Now, (await Kit.GetAsync(claim.Message.Id)).Message.FailedAt);
        Kit.Clock.Advance(Duration.FromHours(1));
        Assert.True(await Store.RequeueAsync(claim.Message.Id, Now, CancellationToken.None));
        Assert.False(await Store.RequeueAsync(claim.Message.Id, Now, CancellationToken.None));
        var message = (await Kit.GetAsync(claim.Message.Id)).Message;
        Assert.Equal((NotificationStatus.Pending, 0, Now), (message.Status, message.Attempts, message.NextAttempt));
    }

    [Fact]
    public async Task QueryAsync_Filters_CombineAndPageNewestFirst()
    {
        var sms = await Kit.EnqueueAsync(NotificationTestKit.Sms("s1"));
        Kit.Clock.Advance(Duration.FromMinutes(1));
        var mail = await Kit.EnqueueAsync(NotificationTestKit.Email("e1"));
        Kit.Clock.Advance(Duration.FromMinutes(1));
        var sms2 = await Kit.EnqueueAsync(NotificationTestKit.Sms("s2"));
        await Store.TryClaimAsync(sms2.Id, "a", Now, CancellationToken.None);

        async Task<long[]> Ids(NotificationQuery q) => [.. (await Store.QueryAsync(q, CancellationToken.None)).Select(e => e.Message.Id)];
        Assert.Equal([sms2.Id, mail.Id, sms.Id], await Ids(new NotificationQuery()));
        Assert.Equal([sms2.Id, sms.Id], await Ids(new NotificationQuery { Recipient = "+8613812345678" }));
        Assert.Equal([sms.Id], await Ids(new NotificationQuery { Recipient = "+8613812345678", Status = NotificationStatus.Pending }));
        Assert.Equal([mail.Id], await Ids(new NotificationQuery { DeduplicationKey = "e1" }));
        Assert.Equal([mail.Id], await Ids(new NotificationQuery { Channel = NotificationChannel.Email }));
        Assert.Equal([mail.Id], await Ids(new NotificationQuery { CreatedFrom = NotificationTestKit.T0 + Duration.FromMinutes(1), CreatedTo = NotificationTestKit.T0 + Duration.FromMinutes(2) }));
        Assert.Equal([mail.Id, sms.Id], await Ids(new NotificationQuery { BeforeId = sms2.Id }));
        Assert.Equal([sms2.Id], await Ids(new NotificationQuery { Limit = 1 }));
        Assert.Empty(await Ids(new NotificationQuery { Status = NotificationStatus.Delivered }));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.QueryAsync(new NotificationQuery { Limit = 0 }, CancellationToken.None));
    }

    [Fact]
    public async Task InitializeAsync_Twice_MigratesOnceBesideTheOtherRecordStores()
    {
        var tokens = new EquipmentIoT.Cloud.Storage.Sqlite.SqliteApiTokenStore(Kit.Database);
        await tokens.InitializeAsync(CancellationToken.None);
        await Store.InitializeAsync(CancellationToken.None);
        await using var c = await Kit.Database.OpenAsync(CancellationToken.None);
        Assert.Equal(1, await EquipmentIoT.Cloud.Storage.Sqlite.SqliteMigrator.CurrentVersionAsync(c, null, SqliteNotificationStore.Component, CancellationToken.None));
    }

    private async Task<ClaimedNotification> ClaimNewAsync(string instance = "a")
    {
        var message = await Kit.EnqueueAsync(NotificationTestKit.Sms($"k-{Guid.NewGuid():N}"));
        return (await Store.TryClaimAsync(message.Id, instance, Now, CancellationToken.None))!;
    }
}
