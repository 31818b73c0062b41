using System.Globalization;
using EquipmentIoT.Cloud.Licences;
using EquipmentIoT.Cloud.Licences.Sqlite;
using EquipmentIoT.Cloud.Notifications;
using EquipmentIoT.Cloud.Notifications.Outbox;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Storage.Sqlite;
using EquipmentIoT.Cloud.Tests.Scheduling;
using EquipmentIoT.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;
using Quartz;

namespace EquipmentIoT.Cloud.Tests.Licences;

/// <summary>AddScheduling + AddLicences + AddNotifications as the cloud registers them: the Quartz job, its triggers, the outbox.</summary>
public sealed class LicenceRegistrationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("eqiot-licence-host-").FullName;

    [Fact]
    public async Task AddLicences_SchedulerStarts_DailyCronInShanghaiAndTheStartUpRunQueuesTheReminderInTheOutbox()
    {
        // 08:00 on 31 December 2027 in Shanghai: before the daily 08:30, but the start-up run catches up.
        var clock = new FakeClock(Instant.FromUtc(2027, 12, 31, 0, 0));
        var records = SqliteDataFiles.RecordsDatabase(_dir);
        var registry = new SqliteRegistryStore(records);
        var store = new SqliteLicenceStore(records);
        await registry.InitializeAsync(CancellationToken.None);
        await store.InitializeAsync(CancellationToken.None);
        await registry.SaveSiteAsync(new SiteRecord("sh", "上海市第一人民医院", "Asia/Shanghai"), CancellationToken.None);
        var licence = await store.CreateAsync(new LicenceDraft("甲2027-001", LicenceCategory.ClassA, "PET/CT", "上海市第一人民医院", "上海", "国家卫生健康委员会",
            new LocalDate(2026, 12, 1), new LocalDate(2028, 3, 31), LicenceForm.Original, null, "sh", [new LicenceManager("张伟", "+8613800000001")]),
            clock.GetCurrentInstant(), CancellationToken.None);
        var settings = Settings();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();

        await using var host = await SchedulerTestHost.StartAsync(_dir, clock, services =>
        {
            services.AddSqliteRecordStores(_dir);
            services.AddNotifications(configuration);
            services.Configure<Hosting.CloudOptions>(o => o.DataDirectory = _dir);
            // As in the cloud: every store migrated when the host starts, before the scheduler may fire.
            services.AddHostedService<Hosting.StoreInitializer>();
            services.AddLicences();
        }, settings);
        await host.LeadingAsync();

        await Wait.UntilAsync(async ct => (await store.NoticesAsync(licence.Id, ct)).Any(n => n.State == NoticeState.Sent), SchedulerTestHost.Bound,
            "the start-up run to queue the yellow reminder");
        var notice = Assert.Single(await store.NoticesAsync(licence.Id, CancellationToken.None));
        var queued = await host.Host.Services.GetRequiredService<INotificationStore>()
            .GetAsync(long.Parse(notice.MessageId!, CultureInfo.InvariantCulture), CancellationToken.None);
        Assert.Equal((NotificationChannel.Sms, "+8613800000001", notice.Text, LicenceNoticeRunner.DedupKey(notice)),
            (queued!.Message.Channel, queued.Message.Recipient, queued.Message.Body, queued.Message.DeduplicationKey));
        Assert.StartsWith("【配置许可证提醒·黄色】", notice.Text, StringComparison.Ordinal);

        var scheduler = await host.SchedulerAsync();
        Assert.NotNull(await scheduler.GetJobDetail(LicenceNoticeJob.Key));
        var daily = Assert.IsAssignableFrom<ICronTrigger>(await scheduler.GetTrigger(LicenceNoticeJob.DailyTrigger));
        Assert.Equal(("0 30 8 * * ?", "Asia/Shanghai", CronTriggerMisfireInstruction.FireAndProceed),
            (daily.CronExpressionString, daily.TimeZone.Id, (CronTriggerMisfireInstruction)daily.MisfireInstruction));
    }

    [Fact]
    public async Task OutboxLicenceSms_SameKeyTwice_OneMessageAndItsIdBothTimes()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(Settings()).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration);
        services.AddNotifications(configuration);
        await using var provider = services.BuildServiceProvider();
        await provider.InitializeStoresAsync(CancellationToken.None);
        var sms = new OutboxLicenceSms(provider.GetRequiredService<INotificationOutbox>());

        var first = await sms.EnqueueAsync("+8613800000001", "许可证提醒", "licence:1:2028-03-31:yellow:0:+8613800000001", CancellationToken.None);
        var again = await sms.EnqueueAsync("+8613800000001", "许可证提醒", "licence:1:2028-03-31:yellow:0:+8613800000001", CancellationToken.None);
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            sms.EnqueueAsync("not-a-phone", "x", "licence:1:2028-03-31:yellow:0:x", CancellationToken.None));

        Assert.Equal(first, again);
        Assert.StartsWith("the notification outbox refused the reminder:", refused.Message, StringComparison.Ordinal);
    }

    // The outbox with SMS configured and its dispatcher off: messages are stored, nothing is sent anywhere.
    private Dictionary<string, string?> Settings()
    {
        var password = Path.Combine(_dir, "kannel.password");
        File.WriteAllText(password, "test");
        return new()
        {
            ["Cloud:DataDirectory"] = _dir,
            ["Notifications:DispatcherEnabled"] = "false",
            ["Notifications:Sms:SendSmsUrl"] = "http://127.0.0.1:9/cgi-bin/sendsms",
            ["Notifications:Sms:UserName"] = "eqiot",
            ["Notifications:Sms:PasswordFile"] = password,
        };
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }
}
