using EquipmentIoT.Cloud.Licences;
using EquipmentIoT.Cloud.Storage;
using NodaTime;
using NodaTime.Text;

namespace EquipmentIoT.Cloud.Tests.Licences;

/// <summary>
/// The daily run driven day by day with a fake clock over 400 days: which reminders go to whom, with which text, and
/// what a cloud that was down, a second run the same day and a second instance change about that (nothing).
/// </summary>
public abstract class LicenceReminderSimulationContract
{
    /// <summary>A fresh test bed on the database under test.</summary>
    internal abstract Task<LicenceTestBed> NewBedAsync(Action<LicenceOptions>? configure = null);

    private static readonly LicenceManager ZhangWei = new("张伟", "+8613800000001");
    private static readonly LicenceManager LiNa = new("李娜", "+8613800000002");
    private static readonly LicenceManager WangFang = new("王芳", "+8613800000003");
    private static readonly LicenceManager LiuYang = new("刘洋", "+8613800000004");

    [Fact]
    public async Task DailyRun_FourHundredDaysThreeLicences_ExactlyTheBandEntriesAndWeeklyRedRepeatsUntilResolved()
    {
        await using var bed = await NewBedAsync();
        // A PET/CT due 31 March of a leap year (two managers), an MR due 31 August, a CT due on the leap day.
        var pet = await bed.AddAsync("甲2027-001", D("2028-03-31"), "PET/CT", "上海市第一人民医院", managers: [ZhangWei, LiNa]);
        var mr = await bed.AddAsync("乙2027-017", D("2027-08-31"), "1.5T MR", "上海市第六人民医院", category: LicenceCategory.ClassB, managers: [WangFang]);
        var ct = await bed.AddAsync("乙2027-018", D("2028-02-29"), "64排CT", "复旦大学附属中山医院", category: LicenceCategory.ClassB, managers: [LiuYang]);
        await bed.Registry.SaveAssetAsync("mr-06", new AssetRecord("MR", Site: "sh"), CancellationToken.None);
        await bed.Registry.SaveAssetAsync("pet-01", new AssetRecord("PET/CT", Site: "sh"), CancellationToken.None);
        var events = new Dictionary<LocalDate, Func<Task>>
        {
            // Resolved before that day's run: the MR installed, the CT's licence revoked, the PET/CT installed.
            [D("2027-10-20")] = () => Succeeds(bed.Service.FulfilAsync(mr.Id, "mr-06", null, "installed", CancellationToken.None)),
            [D("2028-04-15")] = () => Succeeds(bed.Service.RevokeAsync(ct.Id, "采购计划取消", null, CancellationToken.None)),
            [D("2028-06-01")] = () => Succeeds(bed.Service.FulfilAsync(pet.Id, "pet-01", null, null, CancellationToken.None)),
        };

        var start = D("2027-06-01");
        for (var day = 0; day < 400; day++)
        {
            var date = start.PlusDays(day);
            bed.At(date);
            if (events.TryGetValue(date, out var change)) await change();
            await bed.Runner().RunAsync(CancellationToken.None);
        }

        var expected = new List<(string Date, string Phone, string Band, int Escalation)>();
        void Expect(LicenceManager[] to, string band, params string[] dates)
        {
            foreach (var (date, i) in dates.Select((d, i) => (d, i)))
                expected.AddRange(to.Select(m => (date, m.Phone, band, band == "red" ? i : 0)));
        }

        // The MR starts in yellow on the first day (blue was before the simulation), then orange, red and six repeats.
        Expect([WangFang], "yellow", "2027-06-01");
        Expect([WangFang], "orange", "2027-07-31");
        Expect([WangFang], "red", "2027-09-01", "2027-09-08", "2027-09-15", "2027-09-22", "2027-09-29", "2027-10-06", "2027-10-13");
        Expect([LiuYang], "blue", "2027-08-29");
        Expect([LiuYang], "yellow", "2027-11-29");
        Expect([LiuYang], "orange", "2028-01-29");
        Expect([LiuYang], "red", "2028-03-01", "2028-03-08", "2028-03-15", "2028-03-22", "2028-03-29", "2028-04-05", "2028-04-12");
        Expect([ZhangWei, LiNa], "blue", "2027-09-30");
        Expect([ZhangWei, LiNa], "yellow", "2027-12-31");
        Expect([ZhangWei, LiNa], "orange", "2028-02-29");
        Expect([ZhangWei, LiNa], "red", "2028-04-01", "2028-04-08", "2028-04-15", "2028-04-22", "2028-04-29", "2028-05-06", "2028-05-13", "2028-05-20",
            "2028-05-27");

        var sent = bed.Sms.Messages;
        Assert.Equal(43, sent.Count);
        Assert.Equal(sent.Count, bed.Sms.Calls);
        Assert.Equal(
            expected.OrderBy(e => e.Date, StringComparer.Ordinal).ThenBy(e => e.Phone, StringComparer.Ordinal),
            sent.Select(s => (Local(s.At), s.Phone, Band(s.DedupKey), Escalation(s.DedupKey)))
                .OrderBy(e => e.Item1, StringComparer.Ordinal).ThenBy(e => e.Phone, StringComparer.Ordinal));

        Assert.Contains(sent, s => s.Phone == WangFang.Phone && s.Text ==
            "【配置许可证提醒·黄色】许可证 乙2027-017（1.5T MR，上海市第六人民医院）将于 2027-08-31 到期，剩余 91 天，请尽快完成采购。");
        Assert.Contains(sent, s => s.Phone == LiuYang.Phone && s.Text ==
            "【配置许可证提醒·橙色】许可证 乙2027-018（64排CT，复旦大学附属中山医院）将于 2028-02-29 到期，仅剩 31 天，请立即完成采购和装机。");
        Assert.Contains(sent, s => s.Phone == LiNa.Phone && s.Text ==
            "【配置许可证提醒·红色】许可证 甲2027-001（PET/CT，上海市第一人民医院）已于 2028-03-31 到期，已逾期 1 天，请立即处理。");
        Assert.Contains(sent, s => s.Phone == ZhangWei.Phone && s.Text ==
            "【配置许可证提醒·红色·第8次催办】许可证 甲2027-001（PET/CT，上海市第一人民医院）已于 2028-03-31 到期，已逾期 57 天，仍未完成装机，请立即处理。");

        // Every reminder is in licence_notices, sent, with the outbox's message id.
        var notices = new List<LicenceNotice>();
        foreach (var id in new[] { pet.Id, mr.Id, ct.Id }) notices.AddRange(await bed.Store.NoticesAsync(id, CancellationToken.None));
        Assert.Equal(43, notices.Count);
        Assert.All(notices, n => Assert.Equal(NoticeState.Sent, n.State));
        Assert.Equal(sent.Select(s => s.Id).Order(), notices.Select(n => n.MessageId!).Order());
        int Repeats(Licence l) => notices.Count(n => n.Kind == NoticeKind.Escalation && n.LicenceId == l.Id);
        Assert.Equal((16, 6, 6), (Repeats(pet), Repeats(mr), Repeats(ct)));
    }

    [Fact]
    public async Task DailyRun_CloudDownFortyDaysAcrossOrangeIntoRed_OnlyTheRedReminderOnceThenWeeklyRepeats()
    {
        await using var bed = await NewBedAsync();
        await bed.AddAsync("甲2027-002", D("2028-03-31"), managers: [ZhangWei]);

        await RunDailyAsync(bed, D("2027-09-25"), D("2028-02-27"));
        // Down from 28 February to 6 April: orange began on 29 February and red on 1 April, unseen.
        await RunDailyAsync(bed, D("2028-04-07"), D("2028-04-21"));

        Assert.Equal(
            [("2027-09-30", "blue", 0), ("2027-12-31", "yellow", 0), ("2028-04-07", "red", 0), ("2028-04-14", "red", 1), ("2028-04-21", "red", 2)],
            bed.Sms.Messages.Select(s => (Local(s.At), Band(s.DedupKey), Escalation(s.DedupKey))));
        Assert.StartsWith("【配置许可证提醒·红色】", bed.Sms.Messages[2].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DailyRun_CloudDownThreeWeeksWhileRed_OnlyTheLatestRepeatOnce()
    {
        await using var bed = await NewBedAsync();
        await bed.AddAsync("甲2027-003", D("2028-03-31"), managers: [ZhangWei]);

        await RunDailyAsync(bed, D("2028-03-30"), D("2028-04-01"));
        await RunDailyAsync(bed, D("2028-04-23"), D("2028-04-30"));

        // Red entered 1 April; on 23 April three weeks have passed: repeat 3 only (1 and 2 were missed), then 4 on the 29th.
        Assert.Equal([("2028-03-30", "orange", 0), ("2028-04-01", "red", 0), ("2028-04-23", "red", 3), ("2028-04-29", "red", 4)],
            bed.Sms.Messages.Select(s => (Local(s.At), Band(s.DedupKey), Escalation(s.DedupKey))));
        Assert.StartsWith("【配置许可证提醒·红色·第3次催办】", bed.Sms.Messages[2].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DailyRun_TwiceOnTheSameDay_NoReminderTwice()
    {
        await using var bed = await NewBedAsync();
        await bed.AddAsync("甲2027-004", D("2028-03-31"), managers: [ZhangWei, LiNa]);

        bed.At(D("2027-12-31"));
        var first = await bed.Runner().RunAsync(CancellationToken.None);
        bed.At(D("2027-12-31"), 17, 0);
        var second = await bed.Runner().RunAsync(CancellationToken.None);

        Assert.Equal((2, 2), (first.Decided, first.Sent));
        Assert.Equal((0, 0), (second.Decided, second.Sent));
        Assert.Equal(2, bed.Sms.Calls);
    }

    [Fact]
    public async Task DailyRun_TwoInstancesAtOnce_EachReminderClaimedAndSentOnce()
    {
        await using var bed = await NewBedAsync();
        for (var i = 0; i < 20; i++) await bed.AddAsync($"乙2027-1{i:00}", D("2028-03-31"), managers: [ZhangWei, LiNa]);
        var other = bed.OtherInstance();

        bed.At(D("2028-02-29"));
        var runs = await Task.WhenAll(Task.Run(() => bed.Runner().RunAsync(CancellationToken.None)),
            Task.Run(() => bed.Runner(other).RunAsync(CancellationToken.None)));

        Assert.Equal(40, runs.Sum(r => r.Decided));
        Assert.Equal(40, bed.Sms.Calls);
        Assert.Equal(40, bed.Sms.Messages.Select(m => m.DedupKey).Distinct().Count());
    }

    [Fact]
    public async Task DailyRun_OutboxDown_ReminderStaysPendingAndALaterRunSendsItOnce()
    {
        await using var bed = await NewBedAsync();
        var licence = await bed.AddAsync("甲2027-005", D("2028-03-31"), managers: [ZhangWei]);

        bed.Sms.FailNext(1);
        bed.At(D("2027-12-31"));
        var failed = await bed.Runner().RunAsync(CancellationToken.None);
        bed.At(D("2027-12-31"), 8, 32);
        var soon = await bed.Runner().RunAsync(CancellationToken.None);
        bed.At(D("2028-01-01"));
        var next = await bed.Runner().RunAsync(CancellationToken.None);

        Assert.Equal((1, 0, 1), (failed.Decided, failed.Sent, failed.Failed));
        Assert.Equal((0, 0), (soon.Retried, soon.Sent));
        Assert.Equal((0, 1, 1), (next.Decided, next.Retried, next.Sent));
        var notice = Assert.Single(await bed.Store.NoticesAsync(licence.Id, CancellationToken.None));
        Assert.Equal((NoticeState.Sent, LicenceBand.Yellow, "msg-1"), (notice.State, notice.Band, notice.MessageId));
        Assert.Equal(D("2027-12-31"), notice.Day);
        Assert.Single(bed.Sms.Messages);
    }

    [Fact]
    public async Task DailyRun_LicenceWithoutManager_DecisionRecordedAndAManagerAddedLaterGetsTheCurrentBandOnce()
    {
        await using var bed = await NewBedAsync();
        var licence = await bed.AddAsync("甲2027-006", D("2028-03-31"));

        bed.At(D("2027-12-31"));
        var unaddressed = await bed.Runner().RunAsync(CancellationToken.None);
        var request = LicenceTestBed.Request("甲2027-006", D("2028-03-31"), managers: [LiNa]);
        Assert.True((await bed.Service.UpdateAsync(licence.Id, request, CancellationToken.None)).Success);
        bed.At(D("2028-01-02"));
        await bed.Runner().RunAsync(CancellationToken.None);
        await bed.Runner().RunAsync(CancellationToken.None);

        Assert.Equal((1, 0), (unaddressed.Unaddressed, unaddressed.Sent));
        var notices = await bed.Store.NoticesAsync(licence.Id, CancellationToken.None);
        Assert.Equal([("", NoticeState.Unaddressed), (LiNa.Phone, NoticeState.Sent)], notices.Select(n => (n.Recipient, n.State)));
        Assert.All(notices, n => Assert.Equal(LicenceBand.Yellow, n.Band));
        Assert.Equal(LiNa.Phone, Assert.Single(bed.Sms.Messages).Phone);
    }

    [Fact]
    public async Task DailyRun_DeadlineExtended_BandsStartAgainForTheNewDeadline()
    {
        await using var bed = await NewBedAsync();
        var licence = await bed.AddAsync("甲2027-007", D("2028-03-31"), managers: [ZhangWei]);
        bed.At(D("2028-03-01"));
        await bed.Runner().RunAsync(CancellationToken.None);

        var extended = LicenceTestBed.Request("甲2027-007", D("2028-09-30"), managers: [ZhangWei]);
        Assert.True((await bed.Service.UpdateAsync(licence.Id, extended, CancellationToken.None)).Success);
        bed.At(D("2028-04-01"));
        await bed.Runner().RunAsync(CancellationToken.None);

        Assert.Equal([("orange", "2028-03-31"), ("blue", "2028-09-30")], bed.Sms.Messages.Select(s => (Band(s.DedupKey), s.DedupKey.Split(':')[2])));
    }

    [Fact]
    public async Task Render_SiteTemplateAndEnglish_OverridesTheEmbeddedTextAndFallsBackPerLanguage()
    {
        await using var bed = await NewBedAsync(o =>
        {
            o.Language = "en";
            o.Templates["Yellow"] = new() { ["en"] = "{category} licence {licence} for {equipment}: {days} days to {deadline}. Dear {manager}, please buy now." };
            o.Templates["orange"] = new() { ["zh"] = "不会用到" };
        });
        await bed.AddAsync("甲2027-008", D("2028-03-31"), "3.0T MR", "Ruijin Hospital", managers: [ZhangWei]);

        bed.At(D("2027-12-31"));
        await bed.Runner().RunAsync(CancellationToken.None);
        bed.At(D("2028-02-29"));
        await bed.Runner().RunAsync(CancellationToken.None);

        Assert.Equal(
        [
            "Class A licence 甲2027-008 for 3.0T MR: 91 days to 2028-03-31. Dear 张伟, please buy now.",
            "[Licence reminder · ORANGE] Licence 甲2027-008 (3.0T MR, Ruijin Hospital) expires on 2028-03-31, only 31 days left: complete the purchase and installation now.",
        ], bed.Sms.Messages.Select(s => s.Text));
    }

    [Fact]
    public void Due_RedHistory_EnteredThenTheLatestWholeWeek()
    {
        var red = new LicenceNotice(1, 1, D("2028-03-31"), LicenceBand.Red, NoticeKind.Entered, 0, D("2028-04-03"), Instant.MinValue, "+8613800000001",
            null, "", NoticeState.Sent, "m", null, null);

        Assert.Equal((NoticeKind.Entered, 0), LicenceNoticeRunner.Due(LicenceBand.Red, D("2028-04-01"), [], 7));
        Assert.Equal((NoticeKind.Entered, 0), LicenceNoticeRunner.Due(LicenceBand.Red, D("2028-04-09"), [red], 7));
        Assert.Equal((NoticeKind.Escalation, 1), LicenceNoticeRunner.Due(LicenceBand.Red, D("2028-04-10"), [red], 7));
        Assert.Equal((NoticeKind.Escalation, 5), LicenceNoticeRunner.Due(LicenceBand.Red, D("2028-05-10"), [red], 7));
        Assert.Equal((NoticeKind.Escalation, 10), LicenceNoticeRunner.Due(LicenceBand.Red, D("2028-04-13"), [red], 1));
        Assert.Equal((NoticeKind.Entered, 0), LicenceNoticeRunner.Due(LicenceBand.Orange, D("2028-05-10"), [red], 7));
    }

    private static async Task RunDailyAsync(LicenceTestBed bed, LocalDate from, LocalDate to)
    {
        for (var date = from; date <= to; date = date.PlusDays(1))
        {
            bed.At(date);
            await bed.Runner().RunAsync(CancellationToken.None);
        }
    }

    private static async Task Succeeds(Task<LicenceResult> change)
    {
        var result = await change;
        Assert.True(result.Success, result.Reason);
    }

    private static LocalDate D(string text) => LocalDatePattern.Iso.Parse(text).Value;

    private static string Local(Instant at) => LocalDatePattern.Iso.Format(at.InZone(LicenceTestBed.Shanghai).Date);

    // licence:{id}:{deadline}:{band}:{escalation}:{phone}
    private static string Band(string dedupKey) => dedupKey.Split(':')[3];

    private static int Escalation(string dedupKey) => int.Parse(dedupKey.Split(':')[4], System.Globalization.CultureInfo.InvariantCulture);
}
