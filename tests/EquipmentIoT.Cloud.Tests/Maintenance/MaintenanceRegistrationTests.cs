using EquipmentIoT.Cloud.Alarms;
using EquipmentIoT.Cloud.Maintenance;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Storage.Sqlite;
using EquipmentIoT.Cloud.Tests.Api;
using EquipmentIoT.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Testing;
using Quartz;

namespace EquipmentIoT.Cloud.Tests.Maintenance;

/// <summary>AddMaintenance as a host uses it: options, the store's migration, the alarm observer, and the Quartz job that runs the due computation.</summary>
public sealed class MaintenanceRegistrationTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("eqiot-maint-reg-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task AddMaintenance_SchedulerTriggersTheJob_TheDueComputationOpensTheOrder()
    {
        await using var provider = Build(new() { ["Maintenance:DueInterval"] = "00:30:00" });
        await provider.InitializeStoresAsync(CancellationToken.None);
        await provider.GetRequiredService<IRegistryStore>().SaveAssetAsync("ct-01", new AssetRecord(DeviceClass: "CT"), CancellationToken.None);
        var plan = await provider.GetRequiredService<PlanService>().CreateAsync(new PlanRequest("ct-01", "PM", PlanBasis.Calendar, EveryMonths: 1,
            Anchor: new LocalDate(2026, 3, 2)), "anna", CancellationToken.None);
        Assert.True(plan.Success, plan.ToString());
        var store = provider.GetRequiredService<IMaintenanceStore>();

        var scheduler = await provider.GetRequiredService<ISchedulerFactory>().GetScheduler(CancellationToken.None);
        try
        {
            await scheduler.Start(CancellationToken.None);
            Assert.NotNull(await scheduler.GetJobDetail(MaintenanceDueJob.Key, CancellationToken.None));
            var trigger = await scheduler.GetTrigger(MaintenanceDueJob.TriggerKey, CancellationToken.None);
            Assert.Equal(TimeSpan.FromMinutes(30), Assert.IsAssignableFrom<ISimpleTrigger>(trigger).RepeatInterval);

            await scheduler.TriggerJob(MaintenanceDueJob.Key, null!, CancellationToken.None);
            await Wait.UntilAsync(async ct => (await store.ListWorkOrdersAsync(new WorkOrderQuery(PlanId: plan.Value!.Plan.Id), ct)).Count > 0,
                TimeSpan.FromSeconds(20), "the due job to open the plan's work order");
        }
        finally
        {
            await scheduler.Shutdown(true, CancellationToken.None);
        }

        Assert.Single(await store.ListWorkOrdersAsync(new WorkOrderQuery(PlanId: plan.Value!.Plan.Id), CancellationToken.None));
    }

    [Fact]
    public async Task AddMaintenance_RegistersTheRepairObserverAndDefaults()
    {
        await using var provider = Build(new() { ["Maintenance:RepairRules:0"] = "mr.helium.*" });

        Assert.Contains(provider.GetServices<IAlarmObserver>(), o => o is RepairOrderObserver);
        Assert.IsType<LoggingMaintenanceNotifier>(provider.GetRequiredService<IMaintenanceNotifier>());
        Assert.Contains(provider.GetServices<IStoreInitializer>(), s => s is EquipmentIoT.Cloud.Maintenance.Sqlite.SqliteMaintenanceStore);
        var options = provider.GetRequiredService<IOptions<MaintenanceOptions>>().Value;
        Assert.Equal((TimeSpan.FromHours(1), true, false), (options.DueInterval, options.IsRepairRule("mr.helium.low"), options.IsRepairRule("ct.tube")));
    }

    [Theory]
    [InlineData("Maintenance:DueInterval", "00:00:10", "DueInterval")]
    [InlineData("Maintenance:RepairRules:0", "no spaces", "Maintenance:RepairRules:0")]
    public async Task AddMaintenance_BadOptions_FailValidationNamingTheField(string key, string value, string named)
    {
        await using var provider = Build(new() { [key] = value });

        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<MaintenanceOptions>>().Value);
        Assert.Contains(named, e.Message, StringComparison.Ordinal);
    }

    private ServiceProvider Build(Dictionary<string, string?> settings)
    {
        settings["Cloud:DataDirectory"] = _dir;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IClock>(new FakeClock(Instant.FromUtc(2026, 3, 2, 8, 0)));
        var stubs = new StubTelemetryStores();
        services.AddSingleton<ITelemetryLedger>(stubs);
        services.AddSingleton<ISeriesStore>(stubs);
        services.AddSqliteRecordStores(_dir);
        services.AddMaintenance(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
