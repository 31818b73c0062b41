using EquipmentIoT.Cloud.Storage;
using NodaTime;

namespace EquipmentIoT.Cloud.Tests.Registry;

/// <summary>The behaviour every implementation shares (derived once per database).</summary>
public abstract class RegistryStoreDeviceContract : IAsyncLifetime
{
    private IRecordStores _dir = null!;

    /// <summary>Fresh, empty record stores for one test (not yet initialised).</summary>
    internal abstract IRecordStores NewStores();

    public async Task InitializeAsync()
    {
        _dir = NewStores();
        await _dir.InitializeAsync();
        var r = _dir.Registry;
        await r.SaveSiteAsync(new SiteRecord("sh-1", "Shanghai General", "Asia/Shanghai"), CancellationToken.None);
        await r.SaveSiteAsync(new SiteRecord("ber", "Berlin Mitte", "Europe/Berlin"), CancellationToken.None);
        await r.SaveAssetAsync("ct-01", new AssetRecord("CT", "Siemens Healthineers", "SOMATOM Force", "SN-1001", "Radiology", "Building A, room 101",
            new LocalDate(2021, 5, 4), "Imaging centre", "LIC-2021-07", "sh-1", "CT 1"), CancellationToken.None);
        await r.SaveAssetAsync("ct-02", new AssetRecord("CT", "GE HealthCare", "Revolution", "SN-2002", "Emergency", "Building B",
            Site: "sh-1"), CancellationToken.None);
        await r.SaveAssetAsync("mr-01", new AssetRecord("MR", "Siemens Healthineers", "MAGNETOM Vida", "SN-3003", "Radiology", "Building A, room 120",
            Site: "ber"), CancellationToken.None);
        await r.SaveAssetAsync("am-01", new AssetRecord("AM printer", "EOS", "M 290", Department: "3D 打印中心"), CancellationToken.None);
        await r.TouchAsync("agent-01", ["ct-01", "ct-02", "unknown-9"], Instant.FromUtc(2026, 3, 1, 8, 0), CancellationToken.None);
    }

    public Task DisposeAsync() => _dir.DisposeAsync();

    private async Task<string[]> Ids(DeviceQuery query) =>
        [.. (await _dir.Registry.ListDevicesAsync(query, CancellationToken.None)).Select(d => d.Id)];

    [Fact]
    public async Task SaveAssetAsync_FullRecord_ReadsBackEveryField()
    {
        var ct = await _dir.Registry.GetDeviceAsync("ct-01", CancellationToken.None);
        Assert.Equal(new AssetRecord("CT", "Siemens Healthineers", "SOMATOM Force", "SN-1001", "Radiology", "Building A, room 101",
            new LocalDate(2021, 5, 4), "Imaging centre", "LIC-2021-07", "sh-1", "CT 1"), ct!.Asset);
    }

    [Fact]
    public async Task SaveAssetAsync_Again_ReplacesTheRecordButKeepsLastSeen()
    {
        var saved = await _dir.Registry.SaveAssetAsync("ct-01", new AssetRecord(DeviceClass: "CT", Department: "Cardiology"), CancellationToken.None);
        Assert.Null(saved.Asset.Manufacturer);
        Assert.Equal("Cardiology", saved.Asset.Department);
        Assert.Equal("agent-01", saved.AgentId);
        Assert.NotNull(saved.LastSeen);
    }

    [Fact]
    public async Task SaveAssetAsync_UnknownSiteOrBadId_IsRefused()
    {
        var site = await Assert.ThrowsAsync<RegistryException>(() =>
            _dir.Registry.SaveAssetAsync("ct-03", new AssetRecord(Site: "nowhere"), CancellationToken.None));
        Assert.Contains("no site 'nowhere'", site.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<RegistryException>(() => _dir.Registry.SaveAssetAsync("ct/03", new AssetRecord(), CancellationToken.None));
        await Assert.ThrowsAsync<RegistryException>(() =>
            _dir.Registry.SaveAssetAsync("ct-03", new AssetRecord(Model: new string('x', 300)), CancellationToken.None));
        Assert.Null(await _dir.Registry.GetDeviceAsync("ct-03", CancellationToken.None));
    }

    [Fact]
    public async Task ListDevicesAsync_TextSearch_MatchesAnyFieldCaseInsensitively()
    {
        Assert.Equal(["ct-01", "mr-01"], await Ids(new DeviceQuery(Text: "siemens")));
        Assert.Equal(["ct-02"], await Ids(new DeviceQuery(Text: "sn-2002")));
        Assert.Equal(["am-01"], await Ids(new DeviceQuery(Text: "打印")));
        Assert.Equal(["unknown-9"], await Ids(new DeviceQuery(Text: "UNKNOWN")));
    }

    [Fact]
    public async Task ListDevicesAsync_FieldFilters_SubstringOnTextExactOnClassSiteAgent()
    {
        Assert.Equal(["ct-01", "ct-02"], await Ids(new DeviceQuery(DeviceClass: "CT")));
        Assert.Empty(await Ids(new DeviceQuery(DeviceClass: "C")));
        Assert.Equal(["ct-01", "mr-01"], await Ids(new DeviceQuery(Department: "radio")));
        Assert.Equal(["ct-01"], await Ids(new DeviceQuery(Department: "radio", Site: "sh-1")));
        Assert.Equal(["ct-01", "ct-02", "unknown-9"], await Ids(new DeviceQuery(AgentId: "agent-01")));
        Assert.Equal(["ct-01", "mr-01"], await Ids(new DeviceQuery(Location: "building a")));
        Assert.Equal(["ct-01"], await Ids(new DeviceQuery(OwnerUnit: "imaging", Manufacturer: "SIEMENS", Model: "force")));
        Assert.Equal(["am-01"], await Ids(new DeviceQuery(Limit: 1)));
    }

    [Fact]
    public async Task CountDevicesAsync_ByClass_GroupsIncludingDevicesWithoutAValue()
    {
        var counts = await _dir.Registry.CountDevicesAsync(new DeviceQuery(), AssetField.DeviceClass, CancellationToken.None);
        Assert.Equal([new DeviceCount("CT", 2), new DeviceCount(null, 1), new DeviceCount("AM printer", 1), new DeviceCount("MR", 1)],
            counts.OrderByDescending(c => c.Count).ThenBy(c => c.Value, StringComparer.Ordinal));
    }

    [Fact]
    public async Task CountDevicesAsync_FilteredByDepartmentGroupedByManufacturer_CountsOnlyMatches()
    {
        var counts = await _dir.Registry.CountDevicesAsync(new DeviceQuery(Department: "Radiology"), AssetField.Manufacturer, CancellationToken.None);
        Assert.Equal([new DeviceCount("Siemens Healthineers", 2)], counts);
    }

    [Fact]
    public async Task SaveSiteAsync_KnownZone_IsStoredAndReplaced()
    {
        await _dir.Registry.SaveSiteAsync(new SiteRecord("ber", "Berlin Charité", "Europe/Berlin"), CancellationToken.None);
        var sites = await _dir.Registry.ListSitesAsync(CancellationToken.None);
        Assert.Equal([new SiteRecord("ber", "Berlin Charité", "Europe/Berlin"), new SiteRecord("sh-1", "Shanghai General", "Asia/Shanghai")], sites);
    }

    [Theory]
    [InlineData("Mars/Olympus")]
    [InlineData("CST")]
    [InlineData("")]
    public async Task SaveSiteAsync_UnknownZone_IsRefusedNamingTheZone(string zone)
    {
        var e = await Assert.ThrowsAsync<RegistryException>(() =>
            _dir.Registry.SaveSiteAsync(new SiteRecord("x", "X", zone), CancellationToken.None));
        Assert.Contains($"'{zone}' is not an IANA time zone", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(await _dir.Registry.ListSitesAsync(CancellationToken.None), s => s.Id == "x");
    }
}
