using EquipmentIoT.Cloud.Licences;
using EquipmentIoT.Cloud.Licences.Sqlite;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Testing;

namespace EquipmentIoT.Cloud.Tests.Licences;

/// <summary>
/// records.db in a temp directory with the registry and the licence store migrated, a fake clock, the fake outbox, and
/// the runner and service built as AddLicences builds them. Sites: "sh" (Asia/Shanghai), "xj" (Asia/Urumqi).
/// </summary>
internal sealed class LicenceTestBed : IAsyncDisposable
{
    public static readonly DateTimeZone Shanghai = DateTimeZoneProviders.Tzdb["Asia/Shanghai"];

    private LicenceTestBed(string dir, LicenceOptions options)
    {
        Dir = dir;
        Options = options;
        Clock = new FakeClock(Instant.FromUtc(2027, 1, 1, 0, 30));
        var records = SqliteDataFiles.RecordsDatabase(dir);
        Registry = new SqliteRegistryStore(records);
        Store = new SqliteLicenceStore(records);
        Sms = new FakeLicenceSms(Clock);
        Calendar = new LicenceCalendar(Registry, Clock, Microsoft.Extensions.Options.Options.Create(options));
        Texts = new LicenceTexts(Microsoft.Extensions.Options.Options.Create(options));
        Service = new LicenceService(Store, Registry, Calendar, Clock);
    }

    public string Dir { get; }

    public LicenceOptions Options { get; }

    public FakeClock Clock { get; }

    public SqliteRegistryStore Registry { get; }

    public SqliteLicenceStore Store { get; }

    public FakeLicenceSms Sms { get; }

    public LicenceCalendar Calendar { get; }

    public LicenceTexts Texts { get; }

    public LicenceService Service { get; }

    public static async Task<LicenceTestBed> CreateAsync(Action<LicenceOptions>? configure = null)
    {
        var options = new LicenceOptions();
        configure?.Invoke(options);
        var bed = new LicenceTestBed(Directory.CreateTempSubdirectory("eqiot-licences-").FullName, options);
        await bed.Registry.InitializeAsync(CancellationToken.None);
        await bed.Store.InitializeAsync(CancellationToken.None);
        await bed.Registry.SaveSiteAsync(new SiteRecord("sh", "上海市第一人民医院", "Asia/Shanghai"), CancellationToken.None);
        await bed.Registry.SaveSiteAsync(new SiteRecord("xj", "新疆维吾尔自治区人民医院", "Asia/Urumqi"), CancellationToken.None);
        return bed;
    }

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

    public async ValueTask DisposeAsync()
    {
        await Task.CompletedTask;
        SqliteConnection.ClearAllPools();
        Directory.Delete(Dir, recursive: true);
    }
}
