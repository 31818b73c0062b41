using EquipmentIoT.Cloud.Alarms;
using EquipmentIoT.Cloud.Ingestion;
using EquipmentIoT.Cloud.Licences;
using EquipmentIoT.Cloud.Rules;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Protocols.Telemetry;
using EquipmentIoT.Protocols.Telemetry.Jose;
using EquipmentIoT.Protocols.Telemetry.Model;
using EquipmentIoT.Protocols.Telemetry.State;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace EquipmentIoT.IntegrationTests.Stack;

/// <summary>
/// What the demo puts in the stores, written straight through the cloud's store interfaces (so through the PostgreSQL and
/// InfluxDB implementations when those are configured): a site with an MR, a CT and a metal printer behind one agent; a year of
/// hourly helium level and two days of every profile metric at 10-minute steps; exams, state changes, faults and build events;
/// a gap and a quarantined message; the agent's health; an open alarm; licences in every band with an SMS notice.
/// </summary>
internal static class DashboardDemoData
{
    public const string Site = "demo";
    public const string AgentId = "stack-agent";

    public static readonly IReadOnlyDictionary<string, string> DeviceOfClass = new Dictionary<string, string>
    {
        ["mr"] = "mr-01", ["ct"] = "ct-01", ["am-printer"] = "am-01",
    };

    private static readonly (string Device, string Metric, string Unit, double Base, double Swing)[] Metrics =
    [
        ("mr-01", "helium_level", "%", 78, 0.5), ("mr-01", "helium_pressure", "kPa", 3.5, 0.2), ("mr-01", "magnet_room_temperature", "Cel", 21, 1),
        ("mr-01", "magnet_room_humidity", "%", 45, 5), ("mr-01", "chiller_water_temperature", "Cel", 12, 1),
        ("ct-01", "tube_heat", "%", 30, 25), ("ct-01", "tube_oil_temperature", "Cel", 45, 10), ("ct-01", "gantry_temperature", "Cel", 24, 2),
        ("am-01", "chamber_o2", "ppm", 400, 300), ("am-01", "layer_current", null!, 50, 40), ("am-01", "chamber_temperature", "Cel", 35, 3),
        ("am-01", "build_plate_temperature", "Cel", 180, 5), ("am-01", "laser_power", "W", 350, 50),
    ];

    public static async Task WriteAsync(IServiceProvider services, Instant now, CancellationToken ct)
    {
        var registry = services.GetRequiredService<IRegistryStore>();
        using var key = AgentKeys.Generate();
        var signer = new JwsSigner(key);
        await registry.SaveSiteAsync(new SiteRecord(Site, "示范医院", "Asia/Shanghai"), ct);
        await registry.AddAgentAsync(new NewAgent(AgentId, AgentKeys.ExportPublicKeyPem(key), Site, "dashboard test", now - Duration.FromDays(400)), ct);
        await registry.TouchAsync(AgentId, [.. DeviceOfClass.Values], now, ct);
        foreach (var (deviceClass, device) in DeviceOfClass) await registry.SaveAssetAsync(device, new AssetRecord(DeviceClass: deviceClass, Site: Site), ct);

        await WriteLedgerAsync(services.GetRequiredService<ITelemetryLedger>(), signer, now, ct);
        await WriteSeriesAsync(services.GetRequiredService<ISeriesStore>(), now, ct);
        await RaiseAlarmAsync(services.GetRequiredService<IAlarmStore>(), now, ct);
        await WriteLicencesAsync(services.GetRequiredService<ILicenceStore>(), now, ct);
    }

    private static async Task WriteLedgerAsync(ITelemetryLedger ledger, JwsSigner signer, Instant now, CancellationToken ct)
    {
        var batches = new List<IncomingBatch>();
        string? prev = null;
        var start = now - Duration.FromDays(30);
        for (var day = 0; day < 30; day++)
        {
            var at = start + Duration.FromDays(day) + Duration.FromHours(9);
            TelemetryEvent[] events =
            [
                new("ct-01", EventTypes.ExamCompleted, at, new Dictionary<string, EventValue> { ["modality"] = "CT", ["durationSeconds"] = 600 }),
                new("ct-01", day % 7 == 3 ? EventTypes.ExamDiscontinued : EventTypes.ExamCompleted, at + Duration.FromHours(1)),
                new("mr-01", EventTypes.State, at, new Dictionary<string, EventValue> { ["state"] = day % 5 == 0 ? "compressor_off" : "running" }),
                new("mr-01", EventTypes.Fault, at + Duration.FromMinutes(5), new Dictionary<string, EventValue> { ["code"] = "HE-LOW" }),
                new("am-01", EventTypes.BuildLayer, at, new Dictionary<string, EventValue> { ["layer"] = day + 1 }),
            ];
            var batch = new TelemetryBatch(AgentId, TelemetryStreams.Events, day + 1, prev, at, [], events);
            var sealedBatch = TelemetryEnvelope.Seal(batch, signer);
            prev = sealedBatch.Hash;
            batches.Add(new IncomingBatch(signer.Kid, sealedBatch.Hash, at + Duration.FromSeconds(2 + day % 5), sealedBatch.Jws, batch));
        }

        // Metrics seqs 1, 2 and 5: 3–4 become a gap.
        string? metricsPrev = null;
        foreach (var seq in new[] { 1, 2, 5 })
        {
            var at = now - Duration.FromHours(6 - seq);
            var batch = new TelemetryBatch(AgentId, TelemetryStreams.Metrics, seq, seq == 5 ? new string('A', 43) : metricsPrev, at,
                [new MetricPoint("mr-01", "helium_level", "%", at, 77)], []);
            var sealedBatch = TelemetryEnvelope.Seal(batch, signer);
            metricsPrev = sealedBatch.Hash;
            batches.Add(new IncomingBatch(signer.Kid, sealedBatch.Hash, at + Duration.FromSeconds(1), sealedBatch.Jws, batch));
        }

        var outcomes = await ledger.IngestAsync(batches, ct);
        Assert.All(outcomes, o => Assert.Equal(IngestDisposition.Stored, o.Disposition));
        await ledger.QuarantineAsync(new QuarantineEntry(AgentId, signer.Kid, TelemetryStreams.Metrics, 9, QuarantineReason.BadSignature,
            "the signature does not verify with the registered key", now - Duration.FromHours(2), "eyJ0YW1wZXJlZCI6dHJ1ZX0"u8.ToArray()), ct);
    }

    private static async Task WriteSeriesAsync(ISeriesStore series, Instant now, CancellationToken ct)
    {
        var random = new Random(20261202);
        var points = new List<MetricPoint>();
        var hour = Instant.FromUnixTimeSeconds(now.ToUnixTimeSeconds() / 3600 * 3600);
        for (var h = 24 * 365; h > 48; h--) points.Add(new MetricPoint("mr-01", "helium_level", "%", hour - Duration.FromHours(h), 80 - h * 0.0005 + random.NextDouble() * 0.2));
        for (var step = 48 * 6; step > 0; step--)
        {
            var t = now - Duration.FromMinutes(10 * step);
            foreach (var (device, metric, unit, value, swing) in Metrics)
            {
                points.Add(new MetricPoint(device, metric, unit, t, Math.Round(value + swing * Math.Sin(step / 9.0) + random.NextDouble() * swing / 10, 3)));
            }
        }

        var id = 1_000_000L;
        foreach (var chunk in points.Chunk(5000)) await series.WriteAsync([new SeriesBatch(id++, AgentId, chunk)], ct);
        var (health, _) = AgentStateReader.Read(HealthRecord(now - Duration.FromMinutes(5)));
        await series.WriteAsync([AgentHealthSeries.BatchOf(health!)!], ct);
    }

    private static byte[] HealthRecord(Instant at)
    {
        var output = new System.Buffers.ArrayBufferWriter<byte>();
        AgentStateWriter.Write(new AgentStateRecord
        {
            Agent = AgentId, At = at, Buffer = new AgentBufferState(12, 48_000, 30, 1 << 20, 1 << 28, BufferPressure.Normal), Dropped = new AgentDroppedCounts(0, 250, 1),
        }, output);
        return output.WrittenSpan.ToArray();
    }

    private static async Task RaiseAlarmAsync(IAlarmStore store, Instant now, CancellationToken ct)
    {
        var at = now - Duration.FromMinutes(30);
        var alarm = new Alarm(0, "mr.helium.loss-rate", "mr-01", RuleSubjectKind.Device, "mr", Site, AlarmSeverity.Major, AlarmState.Firing, true, at, at,
            77.2, "helium_level falling 0.9 %/day over 6h (limit 0.5)", [at]);
        await store.SaveAsync(new AlarmStep(alarm, [new AlarmTransition(0, null, AlarmState.Firing, at, "rule:mr.helium.loss-rate", null, AlarmAction.Raise)], []), ct);
    }

    private static async Task WriteLicencesAsync(ILicenceStore store, Instant now, CancellationToken ct)
    {
        var today = now.InZone(DateTimeZoneProviders.Tzdb["Asia/Shanghai"]).Date;
        foreach (var (number, type, days) in new (string, string, int)[]
                 { ("甲2026-001", "PET/CT", 150), ("乙2026-021", "64排 CT", 60), ("乙2026-033", "DSA", 20), ("乙2025-090", "3.0T MR", -5), ("乙2027-001", "1.5T MR", 400) })
        {
            var licence = await store.CreateAsync(new LicenceDraft(number, number.StartsWith('甲') ? LicenceCategory.ClassA : LicenceCategory.ClassB, type,
                "示范医院", "上海", "上海市卫生健康委员会", today.PlusDays(-400), today.PlusDays(days), LicenceForm.Original, null, Site,
                [new LicenceManager("王经理", "+8613800138000")]), now - Duration.FromDays(400), ct);
            if (days != 60) continue;
            var notice = await store.TryClaimAsync(new NoticeClaim(licence.Id, licence.Deadline, LicenceBand.Yellow, NoticeKind.Entered, 0, today.PlusDays(-30),
                now - Duration.FromDays(30), "+8613800138000", "王经理", "配置许可证 乙2026-021 距截止还有 3 个月"), ct);
            await store.MarkSentAsync(notice!.Id, "msg-1", now - Duration.FromDays(30), ct);
        }
    }
}
