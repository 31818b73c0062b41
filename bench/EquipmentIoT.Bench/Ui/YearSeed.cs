using System.Diagnostics;
using System.Security.Cryptography;
using EquipmentIoT.Bench.Records;
using EquipmentIoT.Cloud.Alarms;
using EquipmentIoT.Cloud.Builds;
using EquipmentIoT.Cloud.Licences;
using EquipmentIoT.Cloud.Maintenance;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Cloud.Web.Users;
using EquipmentIoT.Protocols.Telemetry.Jose;
using NodaTime;

namespace EquipmentIoT.Bench.Ui;

/// <summary>What was seeded, the ids of sample records the pages show, and how long each part took.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed record SeededYear(IReadOnlyList<BenchDevice> Devices, long Points, long Events, long EventBatches, int Alarms, long AlarmId,
    int WorkOrders, long WorkOrderId, int Licences, int Builds, long BuildId, IReadOnlyList<(string Part, TimeSpan Took)> Timings);

/// <summary>
/// N days of a fleet's data, up to <c>now</c>, written through the cloud's own stores and services in the order ingestion and people
/// would have written them: registry (sites, agents with their keys, devices), series, ledger events, alarms, work orders, licences,
/// builds, then one user per role (password <see cref="PasswordOf"/>) and the agents' "last seen".
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class YearSeed
{
    public static string PasswordOf(Role role) => $"Bench-{role.ToString().ToLowerInvariant()}-1!";

    public static async Task<SeededYear> WriteAsync(UiBenchHost host, SettableClock clock, Instant now, int days, int deviceCount, int builds, int layers,
        int licences, CancellationToken cancellationToken)
    {
        var start = now - Duration.FromDays(days);
        var devices = BenchFleet.Of(deviceCount);
        var timings = new List<(string, TimeSpan)>();
        var watch = Stopwatch.StartNew();
        void Took(string part)
        {
            timings.Add((part, watch.Elapsed));
            Console.WriteLine($"  {part}: {watch.Elapsed.TotalSeconds:0.0} s");
            watch.Restart();
        }

        clock.Now = start;
        var registry = host.Get<IRegistryStore>();
        await registry.SaveSiteAsync(new SiteRecord(BenchFleet.HospitalSite, "上海总院", "Asia/Shanghai"), cancellationToken).ConfigureAwait(false);
        await registry.SaveSiteAsync(new SiteRecord(BenchFleet.PrinterSite, "增材制造中心", "Asia/Shanghai"), cancellationToken).ConfigureAwait(false);
        var keys = new Dictionary<string, ECDsa>(StringComparer.Ordinal);
        long points, events, batches;
        try
        {
            foreach (var (agent, site) in new[] { (BenchFleet.HospitalAgent, BenchFleet.HospitalSite), (BenchFleet.PrinterAgent, BenchFleet.PrinterSite) })
            {
                var key = AgentKeys.Generate();
                keys[agent] = key;
                await registry.AddAgentAsync(new NewAgent(agent, AgentKeys.ExportPublicKeyPem(key), site, $"{site} gateway", start - Duration.FromDays(1)),
                    cancellationToken).ConfigureAwait(false);
            }
            foreach (var d in devices)
            {
                await registry.SaveAssetAsync(d.Id, new AssetRecord(DeviceClass: d.DeviceClass, Site: d.Site, Name: d.Name, Manufacturer: "Acme",
                    Model: d.DeviceClass.ToUpperInvariant() + "-9", SerialNumber: $"SN-{d.Id}"), cancellationToken).ConfigureAwait(false);
            }
            Took("registry");

            points = await YearSeries.WriteAsync(host.Get<ISeriesStore>(), devices, start, days, 1, cancellationToken).ConfigureAwait(false);
            Took($"series: {points:N0} points");
            (events, batches) = await YearEvents.WriteAsync(host.Get<ITelemetryLedger>(), devices, keys, start, days, cancellationToken).ConfigureAwait(false);
            Took($"ledger: {events:N0} events in {batches:N0} batches");
        }
        finally
        {
            foreach (var key in keys.Values) key.Dispose();
        }

        var (alarms, alarmId) = await YearRecords.WriteAlarmsAsync(host.Get<IAlarmStore>(), devices, start, now, cancellationToken).ConfigureAwait(false);
        Took($"alarms: {alarms:N0}");
        var (orders, orderId) = await YearRecords.WriteWorkOrdersAsync(host.Get<WorkOrderService>(), clock, devices, start, now, cancellationToken)
            .ConfigureAwait(false);
        Took($"work orders: {orders:N0}");
        var licenceCount = await YearRecords.WriteLicencesAsync(host.Get<ILicenceStore>(), devices, now, licences, cancellationToken).ConfigureAwait(false);
        Took($"licences: {licenceCount:N0}");
        var (buildCount, buildId) = await YearRecords.WriteBuildsAsync(host.Get<IBuildStore>(), host.Get<BuildService>(), clock, devices, start, now, builds,
            layers, cancellationToken).ConfigureAwait(false);
        Took($"builds: {buildCount:N0} of {layers} layers");

        clock.Now = now;
        var users = host.Get<IUserStore>();
        foreach (var role in Enum.GetValues<Role>())
        {
            var name = role.ToString().ToLowerInvariant();
            await users.AddAsync(new NewUser(name, $"{name} (bench)", [role], BenchFleet.HospitalSite, UserPasswords.Hash(PasswordOf(role)), now),
                cancellationToken).ConfigureAwait(false);
        }
        foreach (var agent in devices.GroupBy(d => d.Agent))
            await registry.TouchAsync(agent.Key, [.. agent.Select(d => d.Id)], now - Duration.FromMinutes(1), cancellationToken).ConfigureAwait(false);
        Took("users, last seen");

        return new SeededYear(devices, points, events, batches, alarms, alarmId, orders, orderId, licenceCount, buildCount, buildId, timings);
    }
}
