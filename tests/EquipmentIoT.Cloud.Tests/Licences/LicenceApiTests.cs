using System.Net;
using System.Text;
using EquipmentIoT.Cloud.Api;
using EquipmentIoT.Cloud.Api.Auditing;
using EquipmentIoT.Cloud.Api.Auth;
using EquipmentIoT.Cloud.Api.Endpoints;
using EquipmentIoT.Cloud.Hosting;
using EquipmentIoT.Cloud.Licences;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Tests.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace EquipmentIoT.Cloud.Tests.Licences;

public sealed class LicenceApiTests : IAsyncLifetime
{
    private const string Path = "/api/v1/licences";
    private ApiHost _host = null!;

    public async Task InitializeAsync()
    {
        var stubs = new StubTelemetryStores();
        // 08:30 on 31 December 2027 in Shanghai.
        _host = await ApiHost.StartAsync((services, dir) =>
        {
            services.AddSingleton<ITelemetryLedger>(stubs);
            services.AddSingleton<ISeriesStore>(stubs);
            services.Configure<CloudOptions>(o => o.DataDirectory = dir);
            services.AddLicences();
            services.AddSingleton<ILicenceSms>(sp => new FakeLicenceSms(sp.GetRequiredService<IClock>()));
        }, Instant.FromUtc(2027, 12, 31, 0, 30));
        await _host.Get<IRegistryStore>().SaveSiteAsync(new SiteRecord("sh", "上海市第一人民医院", "Asia/Shanghai"), CancellationToken.None);
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Create_ManagerAndAdminOnly_AnyRoleReadsTheListWithBands()
    {
        using var manager = _host.Client(Role.Manager);
        using var operatorClient = _host.Client(Role.Operator);
        using var auditor = _host.Client(Role.Auditor);

        var created = await manager.SendJsonAsync(HttpMethod.Post, Path, Body("甲2027-001", "2028-03-31"), HttpStatusCode.Created);
        await operatorClient.SendJsonAsync(HttpMethod.Post, Path, Body("甲2027-002", "2028-03-31"), HttpStatusCode.Forbidden);
        await _host.Client(Role.Admin).SendJsonAsync(HttpMethod.Post, Path, Body("乙2027-003", "2027-12-31", "classB"), HttpStatusCode.Created);
        var list = await auditor.GetJsonAsync(Path);

        Assert.Equal(("甲2027-001", "classA", "active"), (created.GetProperty("number").GetString(), created.GetProperty("category").GetString(),
            created.GetProperty("status").GetString()));
        Assert.Equal([("乙2027-003", "orange", 0), ("甲2027-001", "yellow", 91)],
            list.EnumerateArray().Select(v => (v.GetProperty("licence").GetProperty("number").GetString(), v.GetProperty("band").GetString(),
                v.GetProperty("daysLeft").GetInt32())));
    }

    [Fact]
    public async Task Create_BadFieldsOrTakenNumber_400NamingFieldsOr409()
    {
        using var manager = _host.Client(Role.Manager);
        await manager.SendJsonAsync(HttpMethod.Post, Path, Body("甲2027-001", "2028-03-31"), HttpStatusCode.Created);

        var bad = await manager.SendJsonAsync(HttpMethod.Post, Path, new
        {
            number = "甲2027-009", category = "classA", equipmentType = "PET/CT", holder = "h", region = "上海", authority = "a",
            issueDate = "2026-12-01", deadline = "2028-03-31", siteId = "nowhere", managers = new[] { new { name = "张伟", phone = "138" } },
        }, HttpStatusCode.BadRequest);
        var taken = await manager.SendJsonAsync(HttpMethod.Post, Path, Body("甲2027-001", "2028-01-31"), HttpStatusCode.Conflict);

        Assert.Contains("E.164", bad.GetProperty("errors").GetProperty("managers[0].phone")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("registered already", taken.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_AfterTheDailyRun_LicenceWithItsRemindersAndStatusChanges()
    {
        using var manager = _host.Client(Role.Manager);
        var id = (await manager.SendJsonAsync(HttpMethod.Post, Path, Body("甲2027-001", "2028-03-31"), HttpStatusCode.Created)).GetProperty("id").GetInt64();
        await _host.Get<LicenceNoticeRunner>().RunAsync(CancellationToken.None);

        var detail = await _host.Client(Role.Operator).GetJsonAsync($"{Path}/{id}");
        var notice = Assert.Single(detail.GetProperty("notices").EnumerateArray());
        Assert.Equal(("yellow", "entered", "sent", "+8613800000001", "2027-12-31"), (notice.GetProperty("band").GetString(), notice.GetProperty("kind").GetString(),
            notice.GetProperty("state").GetString(), notice.GetProperty("recipient").GetString(), notice.GetProperty("day").GetString()));
        Assert.StartsWith("【配置许可证提醒·黄色】许可证 甲2027-001", notice.GetProperty("text").GetString(), StringComparison.Ordinal);

        await manager.SendJsonAsync(HttpMethod.Post, $"{Path}/{id}/fulfil", new { deviceId = "pet-01" }, HttpStatusCode.BadRequest);
        await _host.Get<IRegistryStore>().SaveAssetAsync("pet-01", new AssetRecord("PET/CT", Site: "sh"), CancellationToken.None);
        var fulfilled = await manager.SendJsonAsync(HttpMethod.Post, $"{Path}/{id}/fulfil", new { deviceId = "pet-01", note = "验收合格" });
        var revoked = await manager.SendJsonAsync(HttpMethod.Post, $"{Path}/{id}/revoke", new { reason = "设备报废" });
        await manager.SendJsonAsync(HttpMethod.Post, $"{Path}/{id}/revoke", new { reason = "again" }, HttpStatusCode.Conflict);
        await manager.SendJsonAsync(HttpMethod.Post, $"{Path}/999/revoke", new { reason = "x" }, HttpStatusCode.NotFound);
        await _host.Client(Role.Operator).GetJsonAsync($"{Path}/999", HttpStatusCode.NotFound);

        Assert.Equal(("fulfilled", "2027-12-31", "pet-01"), (fulfilled.GetProperty("status").GetString(), fulfilled.GetProperty("fulfilledOn").GetString(),
            fulfilled.GetProperty("deviceId").GetString()));
        Assert.Equal(("revoked", "设备报废"), (revoked.GetProperty("status").GetString(), revoked.GetProperty("statusNote").GetString()));
    }

    [Fact]
    public async Task List_FiltersAndSort_MatchingLicencesOrBadParametersNamed()
    {
        using var manager = _host.Client(Role.Manager);
        await manager.SendJsonAsync(HttpMethod.Post, Path, Body("甲2027-001", "2028-03-31"), HttpStatusCode.Created);
        await manager.SendJsonAsync(HttpMethod.Post, Path, Body("甲2027-002", "2028-02-29"), HttpStatusCode.Created);
        await manager.SendJsonAsync(HttpMethod.Post, Path, Body("乙2027-003", "2027-12-01", "classB", "北京"), HttpStatusCode.Created);

        async Task<string[]> Numbers(string query) =>
            [.. (await manager.GetJsonAsync($"{Path}?{query}")).EnumerateArray().Select(v => v.GetProperty("licence").GetProperty("number").GetString()!)];

        Assert.Equal(["甲2027-001", "甲2027-002"], await Numbers("band=yellow&sort=-deadline"));
        Assert.Equal(["乙2027-003"], await Numbers("band=red"));
        Assert.Equal(["甲2027-002", "甲2027-001"], await Numbers("region=上海&category=classA"));
        Assert.Equal(["乙2027-003", "甲2027-002", "甲2027-001"], await Numbers("site=sh"));
        var bad = await manager.GetJsonAsync($"{Path}?band=purple&sort=holder", HttpStatusCode.BadRequest);
        Assert.Equal(["band", "sort"], bad.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Report_MonthAsJsonAndCsv_CountsWithChineseHeaders()
    {
        using var manager = _host.Client(Role.Manager);
        await manager.SendJsonAsync(HttpMethod.Post, Path, Body("甲2027-001", "2028-03-31"), HttpStatusCode.Created);
        await manager.SendJsonAsync(HttpMethod.Post, Path, Body("乙2027-003", "2027-12-01", "classB", "北京"), HttpStatusCode.Created);
        using var auditor = _host.Client(Role.Auditor);

        var json = await auditor.GetJsonAsync($"{Path}/report?period=month&date=2027-12-15");
        using var csv = await auditor.GetAsync(ApiJson.U($"{Path}/report?period=year&date=2027-06-01&format=csv"));
        var text = Encoding.UTF8.GetString(await csv.Content.ReadAsByteArrayAsync());
        await auditor.GetJsonAsync($"{Path}/report?period=week&format=xml&lang=fr", HttpStatusCode.BadRequest);

        Assert.Equal(("month", "2027-12-01", "2027-12-31", "2027-12-31"), (json.GetProperty("period").GetString(), json.GetProperty("from").GetString(),
            json.GetProperty("to").GetString(), json.GetProperty("asOf").GetString()));
        Assert.Equal((2, 1, 1, 1, 1), (json.GetProperty("totals").GetProperty("active").GetInt32(), json.GetProperty("totals").GetProperty("yellow").GetInt32(),
            json.GetProperty("totals").GetProperty("red").GetInt32(), json.GetProperty("totals").GetProperty("expiring").GetInt32(),
            json.GetProperty("totals").GetProperty("overdue").GetInt32()));
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        Assert.Equal("licences-2027.csv", csv.Content.Headers.ContentDisposition!.FileName?.Trim('"'));
        Assert.StartsWith("\uFEFF地区,类别,在用,", text, StringComparison.Ordinal);
        Assert.Contains("\r\n北京,乙类,1,0,0,0,0,1,1,1,0,0\r\n", text, StringComparison.Ordinal);
    }

    private static object Body(string number, string deadline, string category = "classA", string region = "上海") => new
    {
        number, category, equipmentType = "PET/CT", holder = "上海市第一人民医院", region, authority = "国家卫生健康委员会", issueDate = "2026-12-01",
        deadline, form = "original", siteId = "sh", managers = new[] { new { name = "张伟", phone = "+8613800000001" } },
    };
}
