using EquipmentIoT.Cloud.Maintenance;
using EquipmentIoT.Cloud.Maintenance.Sqlite;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Storage.Sqlite;
using EquipmentIoT.Cloud.Tests.Api;
using EquipmentIoT.Protocols.Telemetry.Model;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Testing;

namespace EquipmentIoT.Cloud.Tests.Maintenance;

/// <summary>
/// The maintenance services on a temp records.db (real registry and maintenance stores), with a fake clock, stub telemetry stores the
/// test fills with exam events and series, and a notifier that records what it is told.
/// </summary>
internal sealed class MaintenanceHarness : IAsyncDisposable
{
    public const string Manager = "manager-anna";

    private MaintenanceHarness(string dir, FakeClock clock)
    {
        Dir = dir;
        Clock = clock;
        var db = new SqliteDatabase(Path.Combine(dir, SqliteRecordStores.RecordsFileName));
        Registry = new SqliteRegistryStore(db);
        Store = new SqliteMaintenanceStore(db);
        var zones = new MaintenanceZones(Registry);
        var notices = new MaintenanceNotices(Store, Notifier, NullLogger<MaintenanceNotices>.Instance);
        Usage = new StoreUsageSource(Telemetry, Telemetry, new FixedOptionsMonitor<MaintenanceOptions>(Options));
        Due = new MaintenanceDueService(Store, zones, Usage, notices, clock, NullLogger<MaintenanceDueService>.Instance);
        WorkOrders = new WorkOrderService(Store, zones, notices, clock);
        Plans = new PlanService(Store, zones, Due, clock);
    }

    public string Dir { get; }

    public FakeClock Clock { get; }

    public SqliteRegistryStore Registry { get; }

    public SqliteMaintenanceStore Store { get; }

    public StubTelemetryStores Telemetry { get; } = new();

    public RecordingNotifier Notifier { get; } = new();

    public MaintenanceOptions Options { get; } = new();

    public StoreUsageSource Usage { get; }

    public MaintenanceDueService Due { get; }

    public WorkOrderService WorkOrders { get; }

    public PlanService Plans { get; }

    public static async Task<MaintenanceHarness> StartAsync(Instant now)
    {
        var harness = new MaintenanceHarness(Directory.CreateTempSubdirectory("eqiot-maint-").FullName, new FakeClock(now));
        await harness.Registry.InitializeAsync(CancellationToken.None);
        await harness.Store.InitializeAsync(CancellationToken.None);
        return harness;
    }

    /// <summary>A device with an asset record at a site in <paramref name="zone"/>.</summary>
    public async Task AddDeviceAsync(string device, string zone = "Asia/Shanghai", string deviceClass = "CT")
    {
        var site = "site-" + zone.Replace('/', '-');
        await Registry.SaveSiteAsync(new SiteRecord(site, site, zone), CancellationToken.None);
        await Registry.SaveAssetAsync(device, new AssetRecord(DeviceClass: deviceClass, Site: site), CancellationToken.None);
    }

    public async Task<MaintenancePlan> AddPlanAsync(PlanRequest request)
    {
        var result = await Plans.CreateAsync(request, Manager, CancellationToken.None);
        Assert.True(result.Success, result.ToString());
        return result.Value.Plan;
    }

    public Task<DueRunReport> RunAsync() => Due.RunAsync(CancellationToken.None);

    public Task<IReadOnlyList<WorkOrder>> OrdersAsync(long? plan = null) =>
        Store.ListWorkOrdersAsync(new WorkOrderQuery(PlanId: plan, Limit: 1000), CancellationToken.None);

    /// <summary>An exam of <paramref name="seconds"/> on <paramref name="device"/> that ends at <paramref name="end"/> (started and completed events).</summary>
    public void AddExam(string device, Instant end, double seconds = 600, bool discontinued = false)
    {
        var id = "exam-" + Telemetry.Events.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var data = new Dictionary<string, EventValue> { ["exam"] = EventValue.FromString(id) };
        Telemetry.Events.Add(new StoredEvent(Telemetry.Events.Count + 1, "agent-1", device, EventTypes.ExamStarted, end - Duration.FromSeconds(seconds), data, 1));
        Telemetry.Events.Add(new StoredEvent(Telemetry.Events.Count + 1, "agent-1", device,
            discontinued ? EventTypes.ExamDiscontinued : EventTypes.ExamCompleted, end, data, 1));
    }

    /// <summary>Moves an order through assign, start and done (by <paramref name="by"/>).</summary>
    public async Task<WorkOrderView> CompleteAsync(long id, string by = "eng-bob")
    {
        Assert.True((await WorkOrders.AssignAsync(id, by, Manager, null, CancellationToken.None)).Success);
        Assert.True((await WorkOrders.StartAsync(id, by, null, CancellationToken.None)).Success);
        var done = await WorkOrders.DoneAsync(id, new WorkDone("done as planned", 1.5), by, CancellationToken.None);
        Assert.True(done.Success, done.ToString());
        return done.Value;
    }

    public ValueTask DisposeAsync()
    {
        Due.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(Dir, recursive: true);
        return ValueTask.CompletedTask;
    }
}

/// <summary>Records notices; <see cref="Fail"/> makes the next sends throw.</summary>
internal sealed class RecordingNotifier : IMaintenanceNotifier
{
    public List<MaintenanceNotice> Notices { get; } = [];

    public bool Fail { get; set; }

    public Task NotifyAsync(MaintenanceNotice notice, CancellationToken ct)
    {
        if (Fail) throw new InvalidOperationException("notification queue unavailable");
        Notices.Add(notice);
        return Task.CompletedTask;
    }

    public List<MaintenanceNotice> Of(MaintenanceNoticeKind kind) => [.. Notices.Where(n => n.Kind == kind)];
}

/// <summary>Options that do not change.</summary>
internal sealed class FixedOptionsMonitor<T>(T value) : IOptionsMonitor<T>
{
    public T CurrentValue => value;

    public T Get(string? name) => value;

    public IDisposable? OnChange(Action<T, string?> listener) => null;
}
