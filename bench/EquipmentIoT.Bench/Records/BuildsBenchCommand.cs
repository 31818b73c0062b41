using System.Diagnostics;
using EquipmentIoT.Cloud.Builds;
using EquipmentIoT.Cloud.Hosting;
using EquipmentIoT.Cloud.Storage;
using EquipmentIoT.Protocols.Telemetry.Model;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace EquipmentIoT.Bench.Records;

/// <summary>
/// <c>eqiot-bench builds</c>: the cost of build records on the embedded SQLite stores: per-layer summaries of a long build
/// (4 process signals at 1 Hz), with the raw series read of the same points as the floor; sealing; and verifying a ledger
/// of many sealed records (every record's canonical content and entry chain recomputed).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class BuildsBenchCommand
{
    public const string Help = """
          eqiot-bench builds [--layers 500] [--layer-seconds 60] [--sealed 200]
            build records on SQLite: per-layer summaries of one build (4 signals at 1 Hz) against the raw series read of the
            same points, sealing it, and verifying a ledger of N sealed records
        """;

    private static readonly string[] Signals = ["chamber_o2", "chamber_temperature", "build_plate_temperature", "laser_power"];

    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        int layers = 500, layerSeconds = 60, sealedCount = 200;
        var a = new ArgumentReader(args);
        while (a.TryNext())
        {
            switch (a.Current)
            {
                case "--layers": layers = a.Int(1, 20_000); break;
                case "--layer-seconds": layerSeconds = a.Int(1, 3600); break;
                case "--sealed": sealedCount = a.Int(1, 100_000); break;
                case "--help" or "-h":
                    Console.WriteLine(Help);
                    return 0;
                default: throw a.Unknown();
            }
        }

        var root = Directory.CreateTempSubdirectory("eqiot-bench-builds-").FullName;
        var start = Instant.FromUtc(2026, 12, 1, 0, 0);
        var clock = new SettableClock { Now = start };
        var configuration = new ConfigurationBuilder().Build();
        await using var services = new ServiceCollection()
            .AddLogging(l => l.SetMinimumLevel(LogLevel.Warning))
            .AddSingleton<IConfiguration>(configuration)
            .AddSingleton<IClock>(clock)
            .AddCloudStores(root)
            .AddBuilds(root, runRecorder: false)
            .Configure<BuildOptions>(o => o.Gtin = "09506000134352")
            .BuildServiceProvider();
        try
        {
            await services.InitializeStoresAsync(cancellationToken).ConfigureAwait(false);
            var store = services.GetRequiredService<IBuildStore>();
            var series = services.GetRequiredService<ISeriesStore>();
            var summaries = services.GetRequiredService<BuildSummaries>();
            var service = services.GetRequiredService<BuildService>();
            var numbering = new BatchNumbering("AM", DateTimeZone.Utc);

            // One long build: its points, its layers.
            var duration = Duration.FromSeconds((long)layers * layerSeconds);
            var random = new Random(5);
            var points = new List<MetricPoint>(Signals.Length * (int)duration.TotalSeconds);
            for (var s = 0; s < duration.TotalSeconds; s++)
            {
                var at = start + Duration.FromSeconds(s);
                points.Add(new MetricPoint("am-01", "chamber_o2", "ppm", at, 350 + random.NextDouble() * 20));
                points.Add(new MetricPoint("am-01", "chamber_temperature", "Cel", at, 38 + random.NextDouble()));
                points.Add(new MetricPoint("am-01", "build_plate_temperature", "Cel", at, 200 + random.NextDouble()));
                points.Add(new MetricPoint("am-01", "laser_power", "W", at, s % layerSeconds < 8 ? 0 : 280 + random.NextDouble() * 5));
            }

            for (var i = 0; i < points.Count; i += 50_000)
                await series.WriteAsync([new SeriesBatch(1 + (i / 50_000), "agent", points.GetRange(i, Math.Min(50_000, points.Count - i)))], cancellationToken).ConfigureAwait(false);
            var id = await OpenBuildAsync(store, numbering, "am-01", start, layers, layerSeconds, cancellationToken).ConfigureAwait(false);

            var raw = Stopwatch.StartNew();
            long read = 0;
            foreach (var signal in Signals)
                read += (await series.QueryAsync(new SeriesQuery("am-01", signal, start, start + duration, Limit: 10_000_000), cancellationToken).ConfigureAwait(false)).Count;
            raw.Stop();
            clock.Now = start + duration + Duration.FromMinutes(5);
            var summarise = Stopwatch.StartNew();
            await summaries.RefreshAsync(id, cancellationToken).ConfigureAwait(false);
            summarise.Stop();
            var actor = new BuildActor("bench", "manager");
            await service.AddPartAsync(id, new Dictionary<string, string> { ["case_ref"] = "CASE-1", ["device_name"] = "cup" }, actor, cancellationToken).ConfigureAwait(false);
            var seal = Stopwatch.StartNew();
            await service.ReleaseAsync(id, new Dictionary<string, string> { ["decision"] = "released" }, actor, cancellationToken).ConfigureAwait(false);
            seal.Stop();

            // Many ordinary sealed records (20 layers, 4 signals each, a few entries) for the ledger verification.
            for (var b = 1; b < sealedCount; b++)
            {
                var at = start + duration + Duration.FromHours(b);
                var small = await OpenBuildAsync(store, numbering, $"am-{b % 7:00}", at, 20, 60, cancellationToken).ConfigureAwait(false);
                var layerSignals = Enumerable.Range(1, 20).SelectMany(l => Signals.Select(sig => (l, new SignalSummary(sig, null, 60, 1, 2, 1.5, 0, null, 1000)))).ToList();
                await store.SaveSummaryAsync(new BuildSummary(small, 1, 20, layerSignals, 0, at), cancellationToken).ConfigureAwait(false);
                await service.AddEntryAsync(small, BuildEntryKinds.Material, new Dictionary<string, string>
                {
                    ["material"] = BuildOptions.DefaultMaterialName, ["powder_lot"] = $"PL-{b}", ["reuse_count"] = "1", ["sieve"] = "63 µm",
                }, null, actor, cancellationToken).ConfigureAwait(false);
                await store.SealAsync(new NewBuildEntry(small, BuildEntryKinds.Release, new Dictionary<string, string> { ["decision"] = "released" }, "bench",
                    "manager", at), cancellationToken).ConfigureAwait(false);
            }

            var verify = Stopwatch.StartNew();
            var verification = await services.GetRequiredService<BuildVerifier>().VerifyAsync(cancellationToken).ConfigureAwait(false);
            verify.Stop();
            var canonical = BuildCanonical.Content((await store.GetAsync(id, cancellationToken).ConfigureAwait(false))!, long.MaxValue);
            var hash = Stopwatch.StartNew();
            _ = BuildCanonical.Sha256(canonical);
            hash.Stop();

            Console.WriteLine($"builds: one build of {layers} layers x {layerSeconds} s, {Signals.Length} signals at 1 Hz = {points.Count:N0} points; {sealedCount} sealed records");
            Console.WriteLine($"  per-layer summaries: {summarise.Elapsed.TotalMilliseconds:N0} ms ({points.Count / summarise.Elapsed.TotalSeconds:N0} points/s, layers and summaries saved)");
            Console.WriteLine($"  reference: the raw series read of the same {read:N0} points alone: {raw.Elapsed.TotalMilliseconds:N0} ms");
            Console.WriteLine($"  release + seal of that build: {seal.Elapsed.TotalMilliseconds:N0} ms (canonical content {canonical.Length / 1024.0:N0} KiB; its SHA-256 alone {hash.Elapsed.TotalMilliseconds:0.0} ms)");
            Console.WriteLine($"  verify the ledger: {verification.Links} links, {verification.Entries} entry checks in {verify.Elapsed.TotalMilliseconds:N0} ms ({verify.Elapsed.TotalMilliseconds / verification.Links:0.00} ms/record); ok = {verification.Ok}");
            return verification.Ok ? 0 : 1;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<long> OpenBuildAsync(IBuildStore store, BatchNumbering numbering, string device, Instant start, int layers, int layerSeconds,
        CancellationToken cancellationToken)
    {
        var (_, cursor) = await store.LoadTrackingAsync(cancellationToken).ConfigureAwait(false);
        var build = new TrackedBuild
        {
            Device = device, Agent = "agent", Started = start, Status = BuildStatus.Completed, Ended = start + Duration.FromSeconds((long)layers * layerSeconds),
            LayersStarted = layers, Changed = true,
        };
        for (var l = 1; l <= layers; l++) build.NewLayers.Add((l, start + Duration.FromSeconds((long)(l - 1) * layerSeconds)));
        await store.SaveTrackingAsync(cursor, cursor, [build], numbering, cancellationToken).ConfigureAwait(false);
        return (await store.ListAsync(new BuildQuery(Device: device, Limit: 1), cancellationToken).ConfigureAwait(false))[0].Id;
    }
}

/// <summary>A clock the benchmark sets (the build ended before "now").</summary>
internal sealed class SettableClock : IClock
{
    public Instant Now { get; set; }

    public Instant GetCurrentInstant() => Now;
}
