using System.Diagnostics;
using System.Globalization;
using EquipmentIoT.Bench.Records;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Testing;
using NodaTime;

namespace EquipmentIoT.Bench.Ui;

/// <summary>
/// <c>eqiot-bench ui</c>: issue 9's "pages render in under 200 ms server time with a year of data". The cloud's API and web UI run in
/// this process on SQLite stores seeded with N days of a fleet (<see cref="YearSeed"/>); a user signs in through the form and every main
/// page is requested many times, one after another. Per page: p50/p95/max of the server time (the page's Server-Timing header) and of
/// the wall time on loopback, the response size, and the p95 server time against 200 ms.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class UiBenchCommand
{
    public const string Help = """
          eqiot-bench ui [--days 365] [--devices 6] [--requests 50] [--warmup 5] [--builds 36] [--layers 300] [--licences 40] [--user manager]
                         [--series sqlite|influxdb] [--records sqlite|postgres]
            web UI pages on a seeded year: the cloud's API and UI in this process (on SQLite, or on a private influxd / PostgreSQL 15
            started for the run), --days of a fleet of --devices (CT, MR, metal
            printer, …) at 1-minute resolution with exams, alarms, work orders, licences and builds, all written through the cloud's stores;
            signs in through the form and requests each main page --requests times after --warmup: server time (Server-Timing) and wall
            time p50/p95/max, size; target p95 server time <= 200 ms per page; then the device page's store calls (365 days) timed alone
        """;

    private const double TargetMs = 200;

    /// <summary>The data's "now": 2026-12-02 10:00 in Shanghai, as the UI tests.</summary>
    private static readonly Instant Now = Instant.FromUtc(2026, 12, 2, 2, 0);

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        int days = 365, devices = 6, requests = 50, warmUp = 5, builds = 36, layers = 300, licences = 40;
        var user = "manager";
        string series = StorageOptions.Sqlite, records = StorageOptions.Sqlite;
        var a = new ArgumentReader(args);
        while (a.TryNext())
        {
            switch (a.Current)
            {
                case "--days": days = a.Int(2, 3650); break;
                case "--devices": devices = a.Int(3, 300); break;
                case "--requests": requests = a.Int(1, 100_000); break;
                case "--warmup": warmUp = a.Int(0, 10_000); break;
                case "--builds": builds = a.Int(1, 10_000); break;
                case "--layers": layers = a.Int(3, 20_000); break;
                case "--licences": licences = a.Int(1, 10_000); break;
                case "--user": user = a.Value(); break;
                case "--series": series = a.Value(); break;
                case "--records": records = a.Value(); break;
                case "--help" or "-h":
                    Console.WriteLine(Help);
                    return 0;
                default: throw a.Unknown();
            }
        }
        var role = Enum.GetValues<Role>().FirstOrDefault(r => r.ToString().Equals(user, StringComparison.OrdinalIgnoreCase), (Role)(-1));
        if (!Enum.IsDefined(role)) throw new CommandLineException($"--user takes a role's name ({string.Join(", ", Enum.GetNames<Role>())}), not '{user}'");

        if (series is not (StorageOptions.Sqlite or StorageOptions.Influx)) throw new CommandLineException($"--series takes sqlite or influxdb, not '{series}'");
        if (records is not (StorageOptions.Sqlite or StorageOptions.Postgres)) throw new CommandLineException($"--records takes sqlite or postgres, not '{records}'");

        var directory = Directory.CreateTempSubdirectory("eqiot-bench-ui-").FullName;
        InfluxServer? influx = null;
        PostgresServer? postgres = null;
        try
        {
            var storage = new Dictionary<string, string?> { ["Storage:Series"] = series, ["Storage:Records"] = records };
            if (series == StorageOptions.Influx)
            {
                influx = await InfluxServer.StartAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                storage["Storage:Influx:Url"] = influx.Uri.ToString();
            }
            if (records == StorageOptions.Postgres)
            {
                postgres = await PostgresServer.StartAsync(fsync: false, cancellationToken).ConfigureAwait(false);
                storage["Storage:Postgres:ConnectionString"] = postgres.ConnectionString(await postgres.CreateDatabaseAsync(cancellationToken).ConfigureAwait(false));
            }
            var clock = new SettableClock { Now = Now };
            await using var host = await UiBenchHost.StartAsync(directory, clock, storage, cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"seeding {days} days of {devices} devices (series: {series}, records: {records}, {directory}) …");
            var seeding = Stopwatch.StartNew();
            var seed = await YearSeed.WriteAsync(host, clock, Now, days, devices, builds, layers, licences, cancellationToken).ConfigureAwait(false);
            seeding.Stop();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"seeded in {seeding.Elapsed.TotalSeconds:0.0} s: {seed.Points:N0} points, {seed.Events:N0} events, {seed.Alarms:N0} alarms, " +
                $"{seed.WorkOrders:N0} work orders, {seed.Licences:N0} licences, {seed.Builds:N0} builds; data directory {DiskMiB(directory):N0} MiB"));

            using var timer = new PageTimer(host.Address);
            await timer.SignInAsync(role.ToString().ToLowerInvariant(), YearSeed.PasswordOf(role), cancellationToken).ConfigureAwait(false);
            Console.WriteLine($"signed in as {role.ToString().ToLowerInvariant()}; {warmUp} warm-up + {requests} timed requests a page, one at a time");
            Console.WriteLine();
            Console.WriteLine($"{"page",-34} {"server p50",10} {"p95",7} {"max",7}   {"wall p50",8} {"p95",7} {"max",7}   {"size",8}   verdict (p95 server)");
            var failed = 0;
            foreach (var (label, path) in Pages(seed))
            {
                var figures = await timer.TimeAsync(label, path, warmUp, requests, cancellationToken).ConfigureAwait(false);
                var p95 = Percentile(figures.ServerMs, 0.95);
                if (p95 > TargetMs) failed++;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{label,-34} {Percentile(figures.ServerMs, 0.5),10:0.0} {p95,7:0.0} {figures.ServerMs.Max(),7:0.0}   " +
                    $"{Percentile(figures.WallMs, 0.5),8:0.0} {Percentile(figures.WallMs, 0.95),7:0.0} {figures.WallMs.Max(),7:0.0}   " +
                    $"{figures.Bytes / 1024.0,6:0.0} KiB   {Verdict.AtMost(p95, TargetMs, "ms")}"));
            }
            Console.WriteLine();
            Console.WriteLine(failed == 0 ? "every page: PASS" : $"{failed} page(s) over {TargetMs:0} ms p95 server time: FAIL");
            Console.WriteLine();
            foreach (var device in seed.Devices.GroupBy(d => d.DeviceClass).Select(g => g.First()))
            {
                await DevicePageCalls.PrintAsync(host, device, Now, Duration.FromDays(365), Duration.FromDays(1), Math.Min(requests, 20), cancellationToken)
                    .ConfigureAwait(false);
            }
            return failed == 0 ? 0 : 1;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
            if (influx is not null) await influx.DisposeAsync().ConfigureAwait(false);
            if (postgres is not null) await postgres.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Every main page (routes of cloud/EquipmentIoT.Cloud/Web/Pages), a device of each class with the default range and with 30 and 365 days.</summary>
    private static List<(string Label, string Path)> Pages(SeededYear seed)
    {
        var pages = new List<(string, string)> { ("fleet /", "/") };
        foreach (var device in seed.Devices.GroupBy(d => d.DeviceClass).Select(g => g.First()))
        {
            var metrics = string.Concat(device.Metrics.Take(4).Select(m => "&m=" + m.Name));
            pages.Add(($"device {device.Id} (24h, default)", $"/Device/{device.Id}"));
            pages.Add(($"device {device.Id} r=30d, 4 metrics", $"/Device/{device.Id}?r=30d{metrics}"));
            pages.Add(($"device {device.Id} r=365d, 4 metrics", $"/Device/{device.Id}?r=365d{metrics}"));
        }
        pages.Add(("alarms (open)", "/Alarms"));
        pages.Add(("alarms (history)", "/Alarms?view=history"));
        pages.Add(($"alarm {seed.AlarmId}", $"/Alarm/{seed.AlarmId}"));
        pages.Add(("work orders (open)", "/WorkOrders"));
        pages.Add(("work orders (all)", "/WorkOrders?show=all"));
        pages.Add(($"work order {seed.WorkOrderId}", $"/WorkOrder/{seed.WorkOrderId}"));
        pages.Add(("licences", "/Licences"));
        pages.Add(("builds", "/Builds"));
        pages.Add(($"build {seed.BuildId} (per-layer charts)", $"/Build/{seed.BuildId}"));
        pages.Add(("integrity", "/Integrity"));
        pages.Add(("agents", "/Agents"));
        return pages;
    }

    /// <summary>Nearest rank.</summary>
    private static double Percentile(IReadOnlyList<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, Math.Max(0, (int)Math.Ceiling(p * sorted.Count) - 1))];
    }

    private static double DiskMiB(string directory) =>
        new DirectoryInfo(directory).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length) / (1024.0 * 1024.0);
}
