using EquipmentIoT.Bench.Records;
using EquipmentIoT.Cloud.Alarms;
using EquipmentIoT.Cloud.Builds;
using EquipmentIoT.Cloud.Licences;
using EquipmentIoT.Cloud.Maintenance;
using EquipmentIoT.Cloud.Rules;
using NodaTime;

namespace EquipmentIoT.Bench.Ui;

/// <summary>
/// The records of a year, written through the cloud's own stores and services: alarm history (raised, mostly acknowledged, cleared;
/// a few still open), repair work orders taken through their whole life (the clock set to each step's time), licences with deadlines
/// on both sides of today, and printer builds with hundreds of summarised layers, released and sealed. Fixed seeds throughout.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class YearRecords
{
    private static readonly Dictionary<string, (string Rule, AlarmSeverity Severity, string Metric)[]> Rules = new(StringComparer.Ordinal)
    {
        ["ct"] = [("ct.tube.overtemp", AlarmSeverity.Major, "tube_temp"), ("ct.room.humidity", AlarmSeverity.Minor, "humidity")],
        ["mr"] =
        [
            ("mr.helium.loss-rate", AlarmSeverity.Major, "helium_level"), ("mr.coldhead.temp", AlarmSeverity.Critical, "cold_head_temp"),
            ("mr.room.temp", AlarmSeverity.Minor, "room_temp"),
        ],
        ["am-printer"] = [("am.oxygen.high", AlarmSeverity.Major, "oxygen"), ("am.chamber.temp", AlarmSeverity.Warning, "chamber_temp")],
    };

    private static readonly string[] Signals = ["oxygen", "chamber_temp", "platform_temp", "laser_power"];

    /// <summary>Closed alarms over the days (about 1.4 a device a day), then one open alarm on each device; returns (count, a closed one's id).</summary>
    public static async Task<(int Count, long SampleId)> WriteAlarmsAsync(IAlarmStore store, IReadOnlyList<BenchDevice> devices, Instant start, Instant now,
        CancellationToken cancellationToken)
    {
        var random = new Random(11);
        var days = (now - start).TotalDays;
        var count = 0;
        long sample = 0;
        foreach (var device in devices)
        {
            var rules = Rules[device.DeviceClass];
            for (var t = start + Duration.FromMinutes(random.Next(1000)); t < now - Duration.FromDays(1); t += Duration.FromMinutes(200 + random.Next(1640)))
            {
                var (rule, severity, metric) = rules[random.Next(rules.Length)];
                var acked = random.Next(5) != 0;
                var ackAt = t + Duration.FromMinutes(5 + random.Next(115));
                var clearAt = ackAt + Duration.FromMinutes(5 + random.Next(600));
                var transitions = new List<AlarmTransition>
                {
                    new(0, null, AlarmState.Firing, t, $"rule:{rule}", null, AlarmAction.Raise),
                };
                if (acked) transitions.Add(new(0, AlarmState.Firing, AlarmState.Acknowledged, ackAt, "engineer", "checked on site", AlarmAction.Acknowledge));
                var closed = acked ? AlarmState.Resolved : AlarmState.ResolvedUnacknowledged;
                transitions.Add(new(0, acked ? AlarmState.Acknowledged : AlarmState.Firing, closed, clearAt, $"rule:{rule}", null, AlarmAction.Clear));
                var alarm = new Alarm(0, rule, device.Id, RuleSubjectKind.Device, device.DeviceClass, device.Site, severity, closed, false, t, clearAt,
                    Math.Round(random.NextDouble() * 100, 2), $"{metric} outside its limit", [t, clearAt], 2,
                    AcknowledgedAt: acked ? ackAt : null, AcknowledgedBy: acked ? "engineer" : null, AcknowledgeComment: acked ? "checked on site" : null,
                    ResolvedAt: clearAt, ResolvedBy: $"rule:{rule}");
                var saved = await store.SaveAsync(new AlarmStep(alarm, transitions, []), cancellationToken).ConfigureAwait(false);
                if (acked) sample = saved.Id;
                count++;
            }

            var (openRule, openSeverity, openMetric) = rules[0];
            var raised = now - Duration.FromMinutes(30 + random.Next(600));
            var open = new Alarm(0, openRule, device.Id, RuleSubjectKind.Device, device.DeviceClass, device.Site, openSeverity, AlarmState.Firing, true,
                raised, raised, 42, $"{openMetric} outside its limit", [raised]);
            await store.SaveAsync(new AlarmStep(open, [new(0, null, AlarmState.Firing, raised, $"rule:{openRule}", null, AlarmAction.Raise)], []),
                cancellationToken).ConfigureAwait(false);
            count++;
        }
        return (count, sample);
    }

    /// <summary>Repair orders spread over the days (about 0.8 a day), each taken to Verified except the newest few; returns (count, a verified one's id).</summary>
    public static async Task<(int Count, long SampleId)> WriteWorkOrdersAsync(WorkOrderService service, SettableClock clock, IReadOnlyList<BenchDevice> devices,
        Instant start, Instant now, CancellationToken cancellationToken)
    {
        var random = new Random(12);
        var total = Math.Max(10, (int)((now - start).TotalDays * 0.8));
        var step = (now - start - Duration.FromDays(1)) / total;
        long sample = 0;
        for (var i = 0; i < total; i++)
        {
            var device = devices[random.Next(devices.Count)];
            var at = start + (step * i) + Duration.FromMinutes(random.Next(60));
            clock.Now = at;
            var priority = (WorkOrderPriority)random.Next(4);
            var created = Check(await service.CreateRepairAsync(new RepairRequest(device.Id, $"Repair #{i + 1} on {device.Name}",
                "Found on the daily round; see the alarm history", priority), "engineer", cancellationToken).ConfigureAwait(false));
            var id = created.WorkOrder.Id;
            var stage = i >= total - Math.Min(12, total / 4) ? i % 4 : 4;
            if (stage >= 1)
            {
                clock.Now = at + Duration.FromHours(1);
                Check(await service.AssignAsync(id, "engineer", "manager", null, cancellationToken).ConfigureAwait(false));
            }
            if (stage >= 2)
            {
                clock.Now = at + Duration.FromHours(3);
                Check(await service.StartAsync(id, "engineer", null, cancellationToken).ConfigureAwait(false));
            }
            if (stage >= 3)
            {
                clock.Now = at + Duration.FromHours(7);
                Check(await service.DoneAsync(id, new WorkDone("Replaced the seal and tested", 1.5 + random.Next(6)), "engineer", cancellationToken)
                    .ConfigureAwait(false));
            }
            if (stage >= 4)
            {
                clock.Now = at + Duration.FromHours(26);
                Check(await service.VerifyAsync(id, "manager", "works", cancellationToken).ConfigureAwait(false));
                sample = id;
            }
        }
        clock.Now = now;
        return (total, sample);
    }

    /// <summary>Licences with deadlines from a month past to two years ahead, a few tied to devices.</summary>
    public static async Task<int> WriteLicencesAsync(ILicenceStore store, IReadOnlyList<BenchDevice> devices, Instant now, int count,
        CancellationToken cancellationToken)
    {
        var today = now.InZone(DateTimeZoneProviders.Tzdb["Asia/Shanghai"]).Date;
        var types = new[] { "PET/CT", "1.5T MR", "3.0T MR", "64排 CT", "DSA", "直线加速器" };
        for (var i = 0; i < count; i++)
        {
            var classA = i % 7 == 0;
            var number = $"{(classA ? "甲" : "乙")}2026-{i + 1:000}";
            var days = -30 + (i * 730 / Math.Max(1, count));
            var device = i < devices.Count ? devices[i].Id : null;
            await store.CreateAsync(new LicenceDraft(number, classA ? LicenceCategory.ClassA : LicenceCategory.ClassB, types[i % types.Length], "示范医院", "上海",
                "上海市卫生健康委员会", today.PlusDays(days - 1800), today.PlusDays(days), LicenceForm.Original, device, BenchFleet.HospitalSite,
                [new LicenceManager("王经理", "+8613800138000")]), now - Duration.FromDays(400), cancellationToken).ConfigureAwait(false);
        }
        return count;
    }

    /// <summary>Builds on the printers, each of <paramref name="layers"/> layers with 4 summarised signals; all but the newest sealed. Returns (count, the newest sealed one's id).</summary>
    public static async Task<(int Count, long SampleId)> WriteBuildsAsync(IBuildStore store, BuildService service, SettableClock clock,
        IReadOnlyList<BenchDevice> devices, Instant start, Instant now, int count, int layers, CancellationToken cancellationToken)
    {
        var printers = devices.Where(d => d.DeviceClass == "am-printer").ToList();
        if (printers.Count == 0) return (0, 0);
        var random = new Random(13);
        var numbering = new BatchNumbering("AM", DateTimeZoneProviders.Tzdb["Asia/Shanghai"]);
        var layerTime = Duration.FromMinutes(2);
        var spacing = (now - start - Duration.FromDays(1)) / count;
        var actor = new BuildActor("manager", "manager");
        long sample = 0;
        for (var b = 0; b < count; b++)
        {
            var device = printers[b % printers.Count];
            var started = start + (spacing * b);
            var running = b == count - 1;
            var done = running ? layers / 3 : layers;
            var build = new TrackedBuild
            {
                Device = device.Id, Agent = device.Agent, JobId = 1000 + b, LayersPlanned = layers, LayersStarted = done,
                Status = running ? BuildStatus.Running : BuildStatus.Completed, Started = started, Ended = running ? null : started + (layerTime * layers),
                Changed = true,
            };
            for (var l = 1; l <= done; l++) build.NewLayers.Add((l, started + (layerTime * (l - 1))));
            var (_, cursor) = await store.LoadTrackingAsync(cancellationToken).ConfigureAwait(false);
            if (!await store.SaveTrackingAsync(cursor, cursor, [build], numbering, cancellationToken).ConfigureAwait(false))
                throw new InvalidOperationException("a seeded build could not be saved");
            var id = (await store.ListAsync(new BuildQuery(Device: device.Id, Limit: 1), cancellationToken).ConfigureAwait(false))[0].Id;

            var signals = new List<(int Layer, SignalSummary Summary)>(done * Signals.Length);
            var excursions = 0;
            for (var l = 1; l <= done; l++)
            {
                var excursion = random.Next(100) == 0;
                if (excursion) excursions++;
                var o2 = excursion ? 0.16 : 0.05 + (random.NextDouble() * 0.02);
                signals.Add((l, new SignalSummary("oxygen", "%", 120, o2 - 0.01, o2 + 0.01, o2, excursion ? 12 : 0, null, 0.1)));
                var chamber = 38 + random.NextDouble();
                signals.Add((l, new SignalSummary("chamber_temp", "Cel", 120, chamber - 0.5, chamber + 0.5, chamber, 0, null, null)));
                var platform = 180 + (random.NextDouble() * 4);
                signals.Add((l, new SignalSummary("platform_temp", "Cel", 120, platform - 1, platform + 1, platform, 0, 170, 200)));
                var laser = 280 + (random.NextDouble() * 5);
                signals.Add((l, new SignalSummary("laser_power", "W", 120, 0, laser + 2, laser, 0, null, null)));
            }
            var summarised = started + (layerTime * done) + Duration.FromMinutes(5);
            if (!await store.SaveSummaryAsync(new BuildSummary(id, 1000 + b, layers, signals, excursions, summarised), cancellationToken).ConfigureAwait(false))
                throw new InvalidOperationException("a seeded build's summary could not be saved");
            if (running) continue;

            clock.Now = summarised + Duration.FromHours(1);
            await service.AddEntryAsync(id, BuildEntryKinds.Material, new Dictionary<string, string>
            {
                ["material"] = BuildOptions.DefaultMaterialName, ["powder_lot"] = $"PL-{b + 1}", ["reuse_count"] = "1", ["sieve"] = "63 µm",
            }, null, actor, cancellationToken).ConfigureAwait(false);
            await store.SealAsync(new NewBuildEntry(id, BuildEntryKinds.Release, new Dictionary<string, string> { ["decision"] = "released" }, "manager",
                "manager", clock.Now + Duration.FromMinutes(10)), cancellationToken).ConfigureAwait(false);
            sample = id;
        }
        clock.Now = now;
        return (count, sample);
    }

    private static WorkOrderView Check(MaintenanceResult<WorkOrderView> result) =>
        result.Value ?? throw new InvalidOperationException("a seeded work order step was refused: " + string.Join("; ", result.Errors));
}
