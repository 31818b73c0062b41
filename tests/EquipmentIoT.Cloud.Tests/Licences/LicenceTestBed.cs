using EquipmentIoT.Cloud.Licences;
using EquipmentIoT.Cloud.Licences.Postgres;
using EquipmentIoT.Cloud.Licences.Sqlite;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Storage.Postgres;
using EquipmentIoT.Cloud.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Testing;

namespace EquipmentIoT.Cloud.Tests.Licences;

/// <summary>
/// records.db in a temp directory (or a fresh PostgreSQL database) with the registry and the licence store migrated, a fake clock, the fake outbox, and
/// the runner and service built as AddLicences builds them. Sites: "sh" (Asia/Shanghai), "xj" (Asia/Urumqi).
/// </summary>
internal sealed class LicenceTestBed : IAsyncDisposable
{
    public static readonly DateTimeZone Shanghai = DateTimeZoneProviders.Tzdb["Asia/Shanghai"];

    private readonly Func<ILicenceStore> _otherInstance;
    private readonly Func<ValueTask> _cleanup;

    private LicenceTestBed(LicenceOptions options, IRegistryStore registry, ILicenceStore store, Func<ILicenceStore> otherInstance, Func<ValueTask> cleanup)
    {
        Options = options;
        _otherInstance = otherInstance;
        _cleanup = cleanup;
        Clock = new FakeClock(Instant.FromUtc(2027, 1, 1, 0, 30));
        Registry = registry;
        Store = store;
        Sms = new FakeLicenceSms(Clock);
        Calendar = new LicenceCalendar(Registry, Clock, Microsoft.Extensions.Options.Options.Create(options));
        Texts = new LicenceTexts(Microsoft.Extensions.Options.Options.Create(options));
        Service = new LicenceService(Store, Registry, Calendar, Clock);
    }

    public LicenceOptions Options { get; }

    public FakeClock Clock { get; }

    public IRegistryStore Registry { get; }

    public ILicenceStore Store { get; }

    public FakeLicenceSms Sms { get; }

    public LicenceCalendar Calendar { get; }

    public LicenceTexts Texts { get; }

    public LicenceService Service { get; }

    /// <summary>On SQLite: records.db in a temp directory.</summary>
    public static Task<LicenceTestBed> CreateAsync(Action<LicenceOptions>? configure = null)
    {
        var dir = Directory.CreateTempSubdirectory("eqiot-licences-").FullName;
        var records = SqliteDataFiles.RecordsDatabase(dir);
        return CreateAsync(configure, new SqliteRegistryStore(records), new SqliteLicenceStore(records), () => new SqliteLicenceStore(records), () =>
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
            return ValueTask.CompletedTask;
        });
    }

    /// <summary>On a fresh database of the shared PostgreSQL server.</summary>
    public static async Task<LicenceTestBed> CreatePostgresAsync(Postgres.PostgresFixture fixture, Action<LicenceOptions>? configure = null)
    {
        var options = await fixture.NewDatabaseOptionsAsync();
        var databases = new List<PostgresDatabase> { new(options), new(options) };
        return await CreateAsync(configure, new PostgresRegistryStore(databases[0]), new PostgresLicenceStore(databases[0]), () =>
        {
            var other = new PostgresDatabase(options);
            databases.Add(other);
            return new PostgresLicenceStore(other);
        }, async () =>
        {
            foreach (var d in databases) await d.DisposeAsync();
        });
    }

    private static async Task<LicenceTestBed> CreateAsync(Action<LicenceOptions>? configure, IRegistryStore registry, ILicenceStore store,
        Func<ILicenceStore> otherInstance, Func<ValueTask> cleanup)
    {
        var options = new LicenceOptions();
        configure?.Invoke(options);
        var bed = new LicenceTestBed(options, registry, store, otherInstance, cleanup);
        await ((IStoreInitializer)bed.Registry).InitializeAsync(CancellationToken.None);
        await ((IStoreInitializer)bed.Store).InitializeAsync(CancellationToken.None);
        await bed.Registry.SaveSiteAsync(new SiteRecord("sh", "上海市第一人民医院", "Asia/Shanghai"), CancellationToken.None);
        await bed.Registry.SaveSiteAsync(new SiteRecord("xj", "新疆维吾尔自治区人民医院", "Asia/Urumqi"), CancellationToken.None);
        return bed;
    }

    /// <summary>Another store object on the same database: another instance's view.</summary>
    public ILicenceStore OtherInstance() => _otherInstance();

    /// <summary>A runner as one cloud instance has it (its own store object on the same file: another instance's view).</summary>
    public LicenceNoticeRunner Runner(ILicenceStore? store = null) =>
        new(store ?? Store, Calendar, Texts, Sms, Microsoft.Extensions.Options.Options.Create(Options), NullLogger<LicenceNoticeRunner>.Instance);

    /// <summary>Sets the clock to <paramref name="date"/> at <paramref name="hour"/>:<paramref name="minute"/> in Shanghai.</summary>
    public void At(LocalDate date, int hour = 8, int minute = 30) => Clock.Reset(date.At(new LocalTime(hour, minute)).InZoneStrictly(Shanghai).ToInstant());

    /// <summary>Registers a licence (must succeed).</summary>
    public async Task<Licence> AddAsync(string number, LocalDate deadline, string equipment = "PET/CT", string holder = "上海市第一人民医院",
        string site = "sh", string region = "上海", LicenceCategory category = LicenceCategory.ClassA, params LicenceManager[] managers)
    {
        var result = await Service.CreateAsync(Request(number, deadline, equipment, holder, site, region, category, managers), CancellationToken.None);
        Assert.True(result.Success, result.Reason);
        return result.Licence!;
    }

    public static LicenceRequest Request(string number, LocalDate deadline, string equipment = "PET/CT", string holder = "上海市第一人民医院",
        string? site = "sh", string region = "上海", LicenceCategory category = LicenceCategory.ClassA, params LicenceManager[] managers) =>
        new(number, category, equipment, holder, region, "国家卫生健康委员会", new LocalDate(2026, 12, 1), deadline, LicenceForm.Original, null, site,
            managers);

    public ValueTask DisposeAsync() => _cleanup();
}
