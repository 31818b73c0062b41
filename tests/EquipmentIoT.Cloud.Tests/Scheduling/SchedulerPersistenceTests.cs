using EquipmentIoT.Cloud.Scheduling;
using EquipmentIoT.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;
using Quartz;

namespace EquipmentIoT.Cloud.Tests.Scheduling;

public sealed class SchedulerPersistenceTests : IDisposable
{
    private static readonly Instant Now = Instant.FromUtc(2027, 6, 1, 0, 30);
    private readonly string _dir = Directory.CreateTempSubdirectory("eqiot-scheduler-").FullName;
    private readonly FakeClock _clock = new(Now);
    private readonly ProbeLog _log = new();

    [Fact]
    public async Task Job_ScheduledThenHostStoppedAndRestarted_JobAndTriggerSurviveAndFireWithTheInjectedClock()
    {
        var job = new JobKey("probe", "tests");
        var trigger = new TriggerKey("probe-once", "tests");
        await using (var first = await StartAsync())
        {
            await first.LeadingAsync();
            var scheduler = await first.SchedulerAsync();
            // Standby: nothing may fire in this instance, so a firing seen later is the restarted one's.
            await scheduler.Standby();
            await scheduler.ScheduleJob(
                JobBuilder.Create<ProbeJob>().WithIdentity(job).StoreDurably().Build(),
                TriggerBuilder.Create().WithIdentity(trigger).ForJob(job).StartAt(DateTimeOffset.UtcNow.AddSeconds(1)).Build());
        }

        Assert.Empty(_log.Runs);
        Assert.True(File.Exists(Path.Combine(_dir, SchedulerDatabase.FileName)));

        await using var second = await StartAsync();
        var restarted = await second.SchedulerAsync();
        Assert.NotNull(await restarted.GetJobDetail(job));
        Assert.NotNull(await restarted.GetTrigger(trigger));
        await second.LeadingAsync();
        await Wait.UntilAsync(() => !_log.Runs.IsEmpty, SchedulerTestHost.Bound, "the persisted trigger to fire after the restart");
        var run = Assert.Single(_log.Runs);
        Assert.Equal((trigger, Now), (run.Trigger, run.At));
        Assert.NotNull(await restarted.GetJobDetail(job));
    }

    [Fact]
    public async Task Leadership_TwoInstancesOnOneDataDirectory_OneFiresAndTheOtherTakesOverWhenItStops()
    {
        var a = await StartAsync();
        await a.LeadingAsync();
        await using var b = await StartAsync();
        var standby = await b.SchedulerAsync();
        Assert.False(b.Leadership.IsLeader);
        Assert.NotEqual(SchedulerStatus.Running, standby.Status);

        await a.DisposeAsync();
        await b.LeadingAsync();
        await standby.ScheduleJob(JobBuilder.Create<ProbeJob>().WithIdentity("after-handover", "tests").Build(),
            TriggerBuilder.Create().WithIdentity("after-handover", "tests").StartNow().Build());
        await Wait.UntilAsync(() => !_log.Runs.IsEmpty, SchedulerTestHost.Bound, "a job to fire on the instance that took over");
    }

    [Fact]
    public async Task Schema_Migrated_QuartzTablesUnderComponentQuartzAndValidatedByQuartz()
    {
        await using (var host = await StartAsync()) await host.LeadingAsync();

        await using var c = await new SchedulerDatabase(_dir).Database.OpenAsync(CancellationToken.None);
        await using var q = c.CreateCommand();
        q.CommandText = "SELECT version FROM schema_migrations WHERE component = 'quartz'";
        Assert.Equal(1L, await q.ExecuteScalarAsync());
        q.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name LIKE 'QRTZ\\_%' ESCAPE '\\'";
        Assert.Equal(12L, await q.ExecuteScalarAsync());
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private Task<SchedulerTestHost> StartAsync() => SchedulerTestHost.StartAsync(_dir, _clock, services => services.AddSingleton(_log));
}
