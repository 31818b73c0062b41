using EquipmentIoT.Cloud.Alarms;
using EquipmentIoT.Cloud.Builds;
using EquipmentIoT.Cloud.Licences;
using EquipmentIoT.Cloud.Maintenance;
using EquipmentIoT.Cloud.Rules;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Web.Users;
using EquipmentIoT.Protocols.Telemetry.Jose;
using EquipmentIoT.Protocols.Telemetry.Model;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace EquipmentIoT.Ui.Tests;

/// <summary>
/// Demo-like data written through the stores as the services write it: two sites, a CT, an MR and a metal printer with three days
/// of points every 10 minutes (seeded values), an open helium alarm on the MR with its repair work order, five licences (one per
/// band and one with no band yet, an SMS sent for the yellow one), and a running build with 40 summarised layers, two outside the
/// oxygen window. One user per role; their password is <see cref="PasswordOf"/>.
/// </summary>
public sealed class UiSeed
{
    public const string Agent = "agent-ui";

    public long AlarmId { get; private init; }

    public long WorkOrderId { get; private init; }

    public long BuildId { get; private init; }

    public string BuildBatch { get; private init; } = "";

    /// <summary>The password of the user named after <paramref name="role"/> ("operator").</summary>
    public static string PasswordOf(Role role) => $"Passw0rd-{role.ToString().ToLowerInvariant()}!";

    public static async Task<UiSeed> WriteAsync(IServiceProvider services, Instant now)
    {
        var ct = CancellationToken.None;
        var registry = services.GetRequiredService<IRegistryStore>();
        await registry.SaveSiteAsync(new SiteRecord("sh", "上海总院", "Asia/Shanghai"), ct);
        await registry.SaveSiteAsync(new SiteRecord("am", "增材制造中心", "Asia/Shanghai"), ct);
        using (var key = AgentKeys.Generate())
            await registry.AddAgentAsync(new NewAgent(Agent, AgentKeys.ExportPublicKeyPem(key), "sh", "UI test agent", now - Duration.FromDays(30)), ct);
        var devices = new[] { ("ct-01", "ct", "sh", "CT 1"), ("mr-01", "mr", "sh", "MR 1.5T"), ("am-01", "am-printer", "am", "Metal printer") };
        foreach (var (id, cls, site, name) in devices)
            await registry.SaveAssetAsync(id, new AssetRecord(DeviceClass: cls, Site: site, Name: name, Manufacturer: "Acme"), ct);
        await registry.TouchAsync(Agent, ["ct-01", "mr-01", "am-01"], now - Duration.FromMinutes(1), ct);

        await WriteSeriesAsync(services.GetRequiredService<ISeriesStore>(), now, ct);
        var alarmId = await RaiseAlarmAsync(services.GetRequiredService<IAlarmStore>(), now, ct);
        var order = await services.GetRequiredService<WorkOrderService>().CreateRepairAsync(
            new RepairRequest("mr-01", "Helium leak check", "Check the cold head and the quench line", WorkOrderPriority.High, AlarmId: alarmId), "engineer", ct);
        await WriteLicencesAsync(services.GetRequiredService<ILicenceStore>(), now, ct);
        var (buildId, batch) = await WriteBuildAsync(services.GetRequiredService<IBuildStore>(), now, ct);

        var users = services.GetRequiredService<IUserStore>();
        foreach (var role in Enum.GetValues<Role>())
        {
            var name = role.ToString().ToLowerInvariant();
            await users.AddAsync(new NewUser(name, $"{name} (test)", [role], "sh", UserPasswords.Hash(PasswordOf(role)), now), ct);
        }

        return new UiSeed { AlarmId = alarmId, WorkOrderId = order.Value!.WorkOrder.Id, BuildId = buildId, BuildBatch = batch };
    }

    private static async Task WriteSeriesAsync(ISeriesStore series, Instant now, CancellationToken ct)
    {
        var random = new Random(20261202);
        var points = new List<MetricPoint>();
        var start = now - Duration.FromDays(3);
        for (var i = 0; i < 3 * 24 * 6; i++)
        {
            var t = start + Duration.FromMinutes(10 * i);
            points.Add(new MetricPoint("mr-01", "helium_level", "%", t, 78 - i * 0.004 + random.NextDouble() * 0.1));
            points.Add(new MetricPoint("mr-01", "cold_head_temp", "K", t, 4.1 + random.NextDouble() * 0.05));
            points.Add(new MetricPoint("ct-01", "tube_temp", "Cel", t, 35 + 10 * Math.Sin(i / 12.0) + random.NextDouble()));
            points.Add(new MetricPoint("am-01", "oxygen", "%", t, 0.05 + random.NextDouble() * 0.02));
        }

        await series.WriteAsync([new SeriesBatch(1, Agent, points)], ct);
    }

    private static async Task<long> RaiseAlarmAsync(IAlarmStore store, Instant now, CancellationToken ct)
    {
        var at = now - Duration.FromMinutes(30);
        var alarm = new Alarm(0, "mr.helium.loss-rate", "mr-01", RuleSubjectKind.Device, "mr", "sh", AlarmSeverity.Major, AlarmState.Firing, true, at, at,
            77.2, "helium_level falling 0.9 %/day over 6h (limit 0.5)", [at]);
        var saved = await store.SaveAsync(new AlarmStep(alarm, [new AlarmTransition(0, null, AlarmState.Firing, at, "rule:mr.helium.loss-rate", null,
            AlarmAction.Raise)], []), ct);
        return saved.Id;
    }

    private static async Task WriteLicencesAsync(ILicenceStore store, Instant now, CancellationToken ct)
    {
        var today = now.InZone(DateTimeZoneProviders.Tzdb["Asia/Shanghai"]).Date;
        var licences = new (string Number, string Type, int Days)[]
        {
            ("甲2026-001", "PET/CT", 300), ("乙2026-017", "1.5T MR", 150), ("乙2026-021", "64排 CT", 60), ("乙2026-033", "DSA", 20), ("乙2025-090", "3.0T MR", -5),
        };
        foreach (var (number, type, days) in licences)
        {
            var licence = await store.CreateAsync(new LicenceDraft(number, number.StartsWith('甲') ? LicenceCategory.ClassA : LicenceCategory.ClassB, type,
                "示范医院", "上海", "上海市卫生健康委员会", today.PlusDays(-400), today.PlusDays(days), LicenceForm.Original, null, "sh",
                [new LicenceManager("王经理", "+8613800138000")]), now - Duration.FromDays(400), ct);
            if (days == 60)
            {
                var notice = await store.TryClaimAsync(new NoticeClaim(licence.Id, licence.Deadline, LicenceBand.Yellow, NoticeKind.Entered, 0, today.PlusDays(-30),
                    now - Duration.FromDays(30), "+8613800138000", "王经理", "配置许可证 乙2026-021 距截止还有 3 个月"), ct);
                await store.MarkSentAsync(notice!.Id, "msg-1", now - Duration.FromDays(30), ct);
            }
        }
    }

    private static async Task<(long Id, string Batch)> WriteBuildAsync(IBuildStore store, Instant now, CancellationToken ct)
    {
        var started = now - Duration.FromHours(5);
        var build = new TrackedBuild
        {
            Device = "am-01", Agent = Agent, JobId = 4711, LayersPlanned = 120, LayersStarted = 40, Status = BuildStatus.Running, Started = started,
            Changed = true,
        };
        for (var layer = 1; layer <= 40; layer++) build.NewLayers.Add((layer, started + Duration.FromMinutes(5 * layer)));
        var (_, cursor) = await store.LoadTrackingAsync(ct);
        if (!await store.SaveTrackingAsync(cursor, cursor + 1, [build], new BatchNumbering("AM", DateTimeZoneProviders.Tzdb["Asia/Shanghai"]), ct))
            throw new InvalidOperationException("the build could not be saved");
        var record = (await store.ListAsync(new BuildQuery(Device: "am-01"), ct)).Single();

        var random = new Random(7);
        var signals = new List<(int Layer, SignalSummary Summary)>();
        for (var layer = 1; layer <= 40; layer++)
        {
            var excursion = layer is 17 or 18;
            var mean = excursion ? 0.16 : 0.05 + random.NextDouble() * 0.02;
            signals.Add((layer, new SignalSummary("oxygen", "%", 60, mean - 0.01, mean + 0.01, mean, excursion ? 12 : 0, null, 0.1)));
            var temp = 180 + random.NextDouble() * 4;
            signals.Add((layer, new SignalSummary("platform_temp", "Cel", 60, temp - 1, temp + 1, temp, 0, 170, 200)));
        }

        if (!await store.SaveSummaryAsync(new BuildSummary(record.Id, 4711, 120, signals, 2, now), ct))
            throw new InvalidOperationException("the build's summary could not be saved");
        return (record.Id, record.BatchNumber);
    }
}
